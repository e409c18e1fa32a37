// Compiles model shapes into JSON Schema for ajv: lengths, patterns, enums, ranges, list sizes, required members.
// Pure; knows nothing of HTTP. Unknown members are allowed, as AWS ignores them. Patterns are rewritten, where
// needed, into the syntax of the linear-time engine (RE2) that ajv runs them on.
import { ecrModel, type ServiceModel, type Shape } from './model';

export type JsonSchema = Record<string, unknown>;

/** AWS patterns match the whole value; many are written without anchors. */
export function anchoredPattern(pattern: string): string {
  return `^(?:${pattern})$`;
}

/**
 * Model patterns RE2 cannot read even once rewritten, each with patterns RE2 can read that, all together, accept
 * exactly the values the model's does. Keyed by the model's text, which validation messages quote.
 */
const RE2_EQUIVALENTS: Record<string, readonly string[]> = {
  // IAM accountAliasType: the lookahead forbids `--`; with the first and last characters alphanumeric and
  // 1 to 61 in between, that is: alphanumerics joined by single hyphens, 3 to 63 characters long.
  '^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$': ['^[a-z0-9](?:-?[a-z0-9])+$', '^[\\s\\S]{3,63}$'],
};

/**
 * Java's `\uXXXX` (IAM and STS write ranges such as `[\u0020-\u00FF]`) as RE2's `\x{XXXX}`. Exactly four hex
 * digits, as Java and JavaScript read it: STS's `\u10000` is U+1000 followed by `0`.
 */
function re2Escapes(pattern: string): string {
  return pattern.replace(/\\(u([0-9A-Fa-f]{4})|[\s\S])/g, (escape: string, _body: string, hex: string | undefined) => (hex === undefined ? escape : `\\x{${hex}}`));
}

/** The anchored patterns, in RE2 syntax, a value must all match to match the model's `pattern`. */
export function linearTimePatterns(pattern: string): string[] {
  return [...(RE2_EQUIVALENTS[pattern] ?? [re2Escapes(pattern)])].map(anchoredPattern);
}

function patternSchema(pattern: string): JsonSchema {
  const patterns = linearTimePatterns(pattern);
  return patterns.length === 1 ? { pattern: patterns[0] } : { allOf: patterns.map((each) => ({ pattern: each })) };
}

function refTo(shapeName: string): JsonSchema {
  return { $ref: `#/definitions/${shapeName}` };
}

export function schemaForShape(shape: Shape): JsonSchema {
  switch (shape.type) {
    case 'string': {
      const schema: JsonSchema = { type: 'string' };
      if (shape.min !== undefined) schema.minLength = shape.min;
      if (shape.max !== undefined) schema.maxLength = shape.max;
      if (shape.pattern !== undefined) Object.assign(schema, patternSchema(shape.pattern));
      if (shape.enum !== undefined) schema.enum = shape.enum;
      return schema;
    }
    case 'integer':
    case 'long': {
      const schema: JsonSchema = { type: 'integer' };
      if (shape.min !== undefined) schema.minimum = shape.min;
      if (shape.max !== undefined) schema.maximum = shape.max;
      return schema;
    }
    case 'double':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'timestamp':
      return { type: ['number', 'string'] };
    case 'blob': {
      const schema: JsonSchema = { type: 'string' };
      if (shape.max !== undefined) schema.maxLength = Math.ceil((shape.max * 4) / 3) + 4;
      return schema;
    }
    case 'list': {
      const schema: JsonSchema = { type: 'array', items: refTo(shape.member!.shape) };
      if (shape.min !== undefined) schema.minItems = shape.min;
      if (shape.max !== undefined) schema.maxItems = shape.max;
      return schema;
    }
    case 'map': {
      const schema: JsonSchema = {
        type: 'object',
        additionalProperties: refTo(shape.value!.shape),
        propertyNames: { $ref: `#/definitions/${shape.key!.shape}` },
      };
      if (shape.min !== undefined) schema.minProperties = shape.min;
      if (shape.max !== undefined) schema.maxProperties = shape.max;
      return schema;
    }
    case 'structure': {
      const properties: Record<string, JsonSchema> = {};
      for (const [member, ref] of Object.entries(shape.members ?? {})) properties[member] = refTo(ref.shape);
      const schema: JsonSchema = { type: 'object', properties };
      if (shape.required !== undefined && shape.required.length > 0) schema.required = shape.required;
      return schema;
    }
    default: {
      const unreachable: never = shape.type;
      throw new Error(`unsupported shape type ${String(unreachable)}`);
    }
  }
}

/** The id the schema of a model is registered under in ajv: `ecr`, `iam`, `sts`. */
export function schemaIdOf(model: ServiceModel): string {
  return model.metadata.serviceId.toLowerCase();
}

/** One schema document holding every shape of the model under `definitions`, with the id schemaIdOf gives. */
export function modelSchema(model: ServiceModel = ecrModel): JsonSchema {
  const definitions: Record<string, JsonSchema> = {};
  for (const [name, shape] of Object.entries(model.shapes)) definitions[name] = schemaForShape(shape);
  return { $id: schemaIdOf(model), definitions };
}

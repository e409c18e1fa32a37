// Compiles model shapes into JSON Schema for ajv: lengths, patterns, enums, ranges, list sizes, required members.
// Pure; knows nothing of HTTP. Unknown members are allowed, as AWS ignores them.
import { ecrModel, type Shape } from './model';

export type JsonSchema = Record<string, unknown>;

/** AWS patterns match the whole value; many are written without anchors. */
export function anchoredPattern(pattern: string): string {
  return `^(?:${pattern})$`;
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
      if (shape.pattern !== undefined) schema.pattern = anchoredPattern(shape.pattern);
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

/** One schema document holding every shape of the model under `definitions`. */
export function modelSchema(): JsonSchema {
  const definitions: Record<string, JsonSchema> = {};
  for (const [name, shape] of Object.entries(ecrModel.shapes)) definitions[name] = schemaForShape(shape);
  return { $id: 'ecr', definitions };
}

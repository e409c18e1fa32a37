// AWS JSON 1.1 wire rules: the X-Amz-Target header, the request body, and output serialization by shape.
// Timestamps go out as epoch seconds, blobs as base64, and absent members are left out.
import { AwsError } from './aws-error';
import { ecrModel, findOperation, shapeNamed } from './model';

/** `AmazonEC2ContainerRegistry_V20150921.CreateRepository` → `CreateRepository`. */
export function operationFromTarget(target: string | undefined): string {
  const prefix = `${ecrModel.metadata.targetPrefix}.`;
  const name = target?.startsWith(prefix) ? target.slice(prefix.length) : undefined;
  if (name === undefined || findOperation(name) === undefined) {
    throw new AwsError('UnknownOperationException', target ? `Operation ${target} is not supported.` : 'Missing X-Amz-Target header.');
  }
  return name;
}

/**
 * Deeper than any input shape of the model nests (a handful of levels), and as deep as Jackson, which AWS services
 * parse with, accepts. JSON.parse takes 1.5 s over a 10 MB body of nested brackets, so the depth is checked first.
 */
export const MAX_JSON_DEPTH = 1000;

/**
 * Whether the JSON text nests arrays and objects deeper than `limit`. Linear, and quick over long strings (a layer
 * part's base64): it jumps from quote to quote with indexOf. Malformed text is JSON.parse's to refuse.
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (char === 0x22) index = closingQuote(text, index);
    else if (char === 0x5b || char === 0x7b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (char === 0x5d || char === 0x7d) depth -= 1;
  }
  return false;
}

/** The index of the quote that closes the string opened at `open`, or the end of the text. */
function closingQuote(text: string, open: number): number {
  let at = text.indexOf('"', open + 1);
  while (at !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 0x5c) backslashes += 1;
    if (backslashes % 2 === 0) return at;
    at = text.indexOf('"', at + 1);
  }
  return text.length;
}

/** An empty body is `{}`, as the SDKs send for operations without input. */
export function parseRequestBody(body: Buffer | string | undefined): Record<string, unknown> {
  const text = body === undefined ? '' : body.toString();
  if (text.trim() === '') return {};
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new AwsError('SerializationException', `Request body nests deeper than ${MAX_JSON_DEPTH} levels.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AwsError('SerializationException', 'Request body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AwsError('SerializationException', 'Start of structure or map expected: request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

function epochSeconds(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime() / 1000;
  if (typeof value === 'number') return value;
  return undefined;
}

/** Walks `value` along the model shape, keeping only modelled members in their wire form. */
export function serializeShape(shapeName: string, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  const shape = shapeNamed(shapeName);
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object') return undefined;
      const source = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      const members = shape.members ?? {};
      // for...in rather than Object.entries: no array per structure of every response.
      for (const member in members) {
        const wire = serializeShape(members[member]!.shape, source[member]);
        if (wire !== undefined) out[member] = wire;
      }
      return out;
    }
    case 'list':
      return Array.isArray(value) ? value.map((item) => serializeShape(shape.member!.shape, item)).filter((item) => item !== undefined) : undefined;
    case 'map': {
      if (typeof value !== 'object') return undefined;
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        const wire = serializeShape(shape.value!.shape, item);
        if (wire !== undefined) out[key] = wire;
      }
      return out;
    }
    case 'timestamp':
      return epochSeconds(value);
    case 'blob':
      return Buffer.isBuffer(value) ? value.toString('base64') : value;
    case 'string':
    case 'integer':
    case 'long':
    case 'double':
    case 'boolean':
      return value;
    default: {
      const unreachable: never = shape.type;
      return unreachable;
    }
  }
}

export function serializeOutput(operationName: string, output: unknown): Record<string, unknown> {
  const shapeName = findOperation(operationName)?.output?.shape;
  if (shapeName === undefined) return {};
  return (serializeShape(shapeName, output ?? {}) as Record<string, unknown> | undefined) ?? {};
}

/** Inputs carry timestamps as epoch seconds; handlers receive Dates. Blobs stay base64 text. */
export function deserializeShape(shapeName: string, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  const shape = shapeNamed(shapeName);
  switch (shape.type) {
    case 'structure': {
      const source = value as Record<string, unknown>;
      const out: Record<string, unknown> = { ...source };
      const members = shape.members ?? {};
      for (const member in members) {
        if (source[member] !== undefined) out[member] = deserializeShape(members[member]!.shape, source[member]);
      }
      return out;
    }
    case 'list':
      return (value as unknown[]).map((item) => deserializeShape(shape.member!.shape, item));
    case 'map':
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, deserializeShape(shape.value!.shape, v)]));
    case 'timestamp':
      return typeof value === 'number' ? new Date(value * 1000) : new Date(String(value));
    case 'blob':
      // Kept as the base64 text: its consumer decodes it in slices (a layer part is up to 20 MiB).
      return String(value);
    default:
      return value;
  }
}

export function deserializeInput(operationName: string, input: Record<string, unknown>): Record<string, unknown> {
  const shapeName = findOperation(operationName)?.input?.shape;
  if (shapeName === undefined) return input;
  return deserializeShape(shapeName, input) as Record<string, unknown>;
}

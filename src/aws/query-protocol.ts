// AWS query protocol wire rules (IAM, STS): the form-encoded `Action=...` request, the input structure built from
// its flat parameters by walking the model shape, and the XML answer written from the output shape.
import { findOperationIn, shapeIn, type OutputRef, type QueryServiceModel, type Shape, type ShapeRef } from './model';
import { QueryError } from './query-error';
import { escapeXml } from './xml-text';

// The protocol's error and validator, with the wire rules, so a query endpoint needs one import.
export { QueryError, renderQueryError, type QueryErrorCode, type QueryErrorResponse } from './query-error';
export { createQueryInputValidator, type QueryInputValidator } from './query-input-validator';

export interface QueryRequest {
  action: string | undefined;
  version: string | undefined;
  /** Every parameter, `Action` and `Version` included: input shapes do not name them, so they are ignored. */
  params: URLSearchParams;
}

/** A POST body or a query string (a leading `?` is dropped), decoded as `application/x-www-form-urlencoded`. */
export function readQueryRequest(source: Buffer | string | undefined): QueryRequest {
  const text = source === undefined ? '' : source.toString();
  const params = new URLSearchParams(text.startsWith('?') ? text.slice(1) : text);
  return { action: params.get('Action') ?? undefined, version: params.get('Version') ?? undefined, params };
}

/** The most elements a list (or entries a map) may be given: `Tags.member.1001` is refused, whatever the shape. */
export const MAX_QUERY_LIST_MEMBERS = 1000;

/**
 * Parameters nesting deeper than this are ignored: no IAM or STS input nests past a dozen segments
 * (`ContextEntries.member.1.ContextKeyValues.member.1`), and indexing a name costs its depth times its length.
 */
export const MAX_QUERY_PARAMETER_DEPTH = 32;

/** Which segments follow each dotted prefix of the parameter names: `Tags.member` → {1, 2}. Root is ''. */
type ChildIndex = Map<string, Set<string>>;

/**
 * The parameters indexed once, so that walking the shape costs one lookup per member: URLSearchParams.get scans
 * every parameter, which made a body of many parameters quadratic. A repeated name keeps its first value, as get does.
 */
interface QueryInput {
  model: QueryServiceModel;
  values: Map<string, string>;
  children: ChildIndex;
}

function indexed(model: QueryServiceModel, params: URLSearchParams): QueryInput {
  const values = new Map<string, string>();
  const children: ChildIndex = new Map();
  for (const [name, value] of params) {
    if (values.has(name)) continue;
    values.set(name, value);
    const segments = name.split('.', MAX_QUERY_PARAMETER_DEPTH + 1);
    if (segments.length > MAX_QUERY_PARAMETER_DEPTH) continue;
    let prefix = '';
    for (const segment of segments) {
      const known = children.get(prefix) ?? new Set<string>();
      known.add(segment);
      children.set(prefix, known);
      prefix = prefix === '' ? segment : `${prefix}.${segment}`;
    }
  }
  return { model, values, children };
}

const joined = (prefix: string, name: string): string => (prefix === '' ? name : `${prefix}.${name}`);

/** The element indexes given under `base` (`Tags.member.1`, `.2`, ...), ascending; gaps close up. */
function indexesUnder(input: QueryInput, base: string): number[] {
  const indexes: number[] = [];
  for (const segment of input.children.get(base) ?? []) {
    if (!/^[1-9][0-9]*$/.test(segment)) continue;
    const index = Number(segment);
    if (index > MAX_QUERY_LIST_MEMBERS) {
      throw new QueryError('ValidationError', `Parameter ${base}.${segment} is beyond the ${MAX_QUERY_LIST_MEMBERS} members a list may have.`);
    }
    indexes.push(index);
  }
  return indexes.sort((a, b) => a - b);
}

function invalidValue(name: string, value: string, expected: string): QueryError {
  return new QueryError('ValidationError', `Value '${value}' for parameter ${name} is not a valid ${expected}.`);
}

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** A scalar parameter in its model type: numbers as numbers, `true`/`false`, timestamps as Dates. */
function scalarOf(shape: Shape, name: string, value: string): unknown {
  switch (shape.type) {
    case 'boolean':
      if (/^(?:true|false)$/i.test(value)) return value.toLowerCase() === 'true';
      throw invalidValue(name, value, 'boolean');
    case 'integer':
    case 'long': {
      const number = /^[-+]?\d{1,19}$/.test(value) ? Number(value) : Number.NaN;
      const range = shape.type === 'integer' ? INT32 : { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };
      if (number >= range.min && number <= range.max) return number;
      throw invalidValue(name, value, shape.type === 'integer' ? 'integer' : 'long');
    }
    case 'double': {
      const number = value.trim() === '' ? Number.NaN : Number(value);
      if (Number.isFinite(number)) return number;
      throw invalidValue(name, value, 'number');
    }
    case 'timestamp': {
      const time = ISO_8601.test(value) ? Date.parse(value) : /^\d{1,12}(?:\.\d{1,9})?$/.test(value) ? Number(value) * 1000 : Number.NaN;
      if (Number.isFinite(time)) return new Date(time);
      throw invalidValue(name, value, 'timestamp');
    }
    default:
      // Strings as sent; blobs stay their base64 text, as in the JSON protocol.
      return value;
  }
}

/** botocore: a flattened list's elements take the member's locationName, if it has one, in place of the list's. */
function flattenedBase(name: string, member: ShapeRef): string {
  if (member.locationName === undefined) return name;
  const dot = name.lastIndexOf('.');
  return dot === -1 ? member.locationName : `${name.slice(0, dot)}.${member.locationName}`;
}

function readList(input: QueryInput, shape: Shape, name: string): unknown[] | undefined {
  const member = shape.member!;
  const base = shape.flattened === true ? flattenedBase(name, member) : joined(name, member.locationName ?? 'member');
  const indexes = indexesUnder(input, base);
  // The SDKs send an empty list as the bare parameter with an empty value (`Tags=`).
  if (indexes.length === 0) return input.values.get(name) === '' ? [] : undefined;
  return indexes.map((index) => readValue(input, member.shape, `${base}.${index}`)).filter((item) => item !== undefined);
}

function readMap(input: QueryInput, shape: Shape, name: string): Record<string, unknown> | undefined {
  const base = shape.flattened === true ? name : `${name}.entry`;
  const indexes = indexesUnder(input, base);
  if (indexes.length === 0) return input.values.get(name) === '' ? {} : undefined;
  const entries: [string, unknown][] = [];
  for (const index of indexes) {
    const key = input.values.get(`${base}.${index}.${shape.key!.locationName ?? 'key'}`);
    if (key === undefined) continue;
    entries.push([key, readValue(input, shape.value!.shape, `${base}.${index}.${shape.value!.locationName ?? 'value'}`)]);
  }
  // fromEntries defines own properties: a key `__proto__` is a key like any other.
  return Object.fromEntries(entries);
}

function readStructure(input: QueryInput, shape: Shape, name: string): Record<string, unknown> | undefined {
  if (name !== '' && !input.children.has(name)) return undefined;
  const structure: Record<string, unknown> = {};
  for (const [member, ref] of Object.entries(shape.members ?? {})) {
    const value = readValue(input, ref.shape, joined(name, ref.locationName ?? member));
    if (value !== undefined) structure[member] = value;
  }
  return structure;
}

function readValue(input: QueryInput, shapeName: string, name: string): unknown {
  const shape = shapeIn(input.model, shapeName);
  switch (shape.type) {
    case 'structure':
      return readStructure(input, shape, name);
    case 'list':
      return readList(input, shape, name);
    case 'map':
      return readMap(input, shape, name);
    default: {
      const value = input.values.get(name);
      return value === undefined ? undefined : scalarOf(shape, name, value);
    }
  }
}

/**
 * The operation's input structure, keyed by model member names, from the flat query parameters: `Member.Sub`,
 * `List.member.N` (flattened: `List.N`), `Map.entry.N.key` and `.value`. Parameters the shape does not name are
 * ignored. Throws QueryError('ValidationError') for a value that does not parse as its type and for a list index
 * beyond MAX_QUERY_LIST_MEMBERS; constraints are the validator's (query-input-validator.ts).
 */
export function deserializeQueryInput(model: QueryServiceModel, operationName: string, params: URLSearchParams): Record<string, unknown> {
  const inputShape = findOperationIn(model, operationName)?.input?.shape;
  if (inputShape === undefined) return {};
  return readStructure(indexed(model, params), shapeIn(model, inputShape), '') ?? {};
}

/** AWS writes timestamps to the second: `2026-12-01T22:55:38Z`. */
function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function outputBug(name: string, expected: string, value: unknown): Error {
  return new Error(`output member ${name} should be ${expected}, not ${typeof value}`);
}

function scalarText(shape: Shape, name: string, value: unknown): string {
  switch (shape.type) {
    case 'timestamp':
      if (value instanceof Date && Number.isFinite(value.getTime())) return isoSeconds(value);
      throw outputBug(name, 'a valid Date', value);
    case 'blob':
      if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
      if (typeof value === 'string') return value;
      throw outputBug(name, 'bytes or base64 text', value);
    case 'boolean':
      if (typeof value === 'boolean') return String(value);
      throw outputBug(name, 'a boolean', value);
    case 'integer':
    case 'long':
    case 'double':
      if (typeof value === 'number') return String(value);
      throw outputBug(name, 'a number', value);
    default:
      if (typeof value === 'string') return value;
      throw outputBug(name, 'a string', value);
  }
}

function objectOf(name: string, value: unknown): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  throw outputBug(name, 'an object', value);
}

function membersXml(model: QueryServiceModel, shape: Shape, value: Record<string, unknown>): string {
  return Object.entries(shape.members ?? {})
    .map(([member, ref]) => elementXml(model, ref.shape, ref.locationName ?? member, value[member]))
    .join('');
}

function listXml(model: QueryServiceModel, shape: Shape, name: string, value: unknown): string {
  if (!Array.isArray(value)) throw outputBug(name, 'an array', value);
  const member = shape.member!;
  if (shape.flattened === true) return value.map((item) => elementXml(model, member.shape, member.locationName ?? name, item)).join('');
  return `<${name}>${value.map((item) => elementXml(model, member.shape, member.locationName ?? 'member', item)).join('')}</${name}>`;
}

function mapXml(model: QueryServiceModel, shape: Shape, name: string, value: unknown): string {
  const [keyName, valueName] = [shape.key!.locationName ?? 'key', shape.value!.locationName ?? 'value'];
  const entries = Object.entries(objectOf(name, value)).map(
    ([key, item]) => `${elementXml(model, shape.key!.shape, keyName, key)}${elementXml(model, shape.value!.shape, valueName, item)}`,
  );
  if (shape.flattened === true) return entries.map((entry) => `<${name}>${entry}</${name}>`).join('');
  return `<${name}>${entries.map((entry) => `<entry>${entry}</entry>`).join('')}</${name}>`;
}

/** The element `name` for `value` of the shape; absent (undefined, null) members are left out. */
function elementXml(model: QueryServiceModel, shapeName: string, name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  const shape = shapeIn(model, shapeName);
  switch (shape.type) {
    case 'structure':
      return `<${name}>${membersXml(model, shape, objectOf(name, value))}</${name}>`;
    case 'list':
      return listXml(model, shape, name, value);
    case 'map':
      return mapXml(model, shape, name, value);
    default:
      return `<${name}>${escapeXml(scalarText(shape, name, value))}</${name}>`;
  }
}

/** `<CreateUserResult>...</CreateUserResult>`: the output in its result wrapper, or nothing without output. */
function resultXml(model: QueryServiceModel, operationName: string, outputRef: OutputRef | undefined, output: unknown): string {
  if (outputRef === undefined) return '';
  const wrapper = outputRef.resultWrapper ?? `${operationName}Result`;
  return `<${wrapper}>${membersXml(model, shapeIn(model, outputRef.shape), objectOf(wrapper, output ?? {}))}</${wrapper}>`;
}

/**
 * The XML answer to a successful call: `<{Op}Response>` in the model's namespace, the output in its result
 * wrapper and the request id. `output` holds wire member names (`{ User: { UserName, CreateDate: Date } }`);
 * members the shape does not name are left out. Throws an Error (a bug) for a value not of its member's type.
 */
export function serializeQueryResult(model: QueryServiceModel, operationName: string, output: unknown, requestId: string): string {
  const operation = findOperationIn(model, operationName);
  if (operation === undefined) throw new Error(`${operationName} is not an operation of the ${model.metadata.serviceId} model`);
  const metadata = `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata>`;
  const namespace = escapeXml(model.metadata.xmlNamespace);
  return `<${operationName}Response xmlns="${namespace}">${resultXml(model, operationName, operation.output, output)}${metadata}</${operationName}Response>`;
}

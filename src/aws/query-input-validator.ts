// Validates a query-protocol (IAM, STS) input against its model shape with ajv, and words the failures as those
// services do: one ValidationError listing every failure, counted, each with its value and lowerCamel member path.
import type { ErrorObject } from 'ajv';
import {
  allConstraintSentences,
  constraintKindOf,
  constraintSentence,
  pathSegments,
  shapeAtPath,
  type ConstraintKind,
} from './constraint-failures';
import { createModelAjv, createShapeValidators } from './input-validator';
import { lazy } from '../kernel/lazy';
import { findOperationIn, shapeIn, type QueryServiceModel, type ServiceModel } from './model';
import { QueryError } from './query-error';
import { modelSchema, schemaIdOf, type JsonSchema } from './shape-schema';

export interface QueryInputValidator {
  /**
   * Throws QueryError('ValidationError') when `input` (as deserializeQueryInput builds it) does not satisfy the
   * operation's input shape. Members the shape does not name are ignored; an unknown operation has nothing to check.
   */
  validate(operationName: string, input: Record<string, unknown>): void;
}

/** The model's schema for inputs deserializeQueryInput has parsed: a timestamp is a Date it already checked. */
export function parsedInputSchema(model: QueryServiceModel): JsonSchema {
  const schema = modelSchema(model);
  const definitions = schema.definitions as Record<string, JsonSchema>;
  for (const [name, shape] of Object.entries(model.shapes)) if (shape.type === 'timestamp') definitions[name] = {};
  return schema;
}

/** Coral names members in lowerCamel (`userName`, `tags.1.member.key`); map keys stay as given. */
function coralPath(model: ServiceModel, rootShapeName: string, segments: string[]): string {
  let shape = shapeIn(model, rootShapeName);
  const parts: string[] = [];
  for (const segment of segments) {
    if (shape.type === 'structure') {
      parts.push(segment.charAt(0).toLowerCase() + segment.slice(1));
      const ref = shape.members?.[segment];
      if (ref === undefined) break;
      shape = shapeIn(model, ref.shape);
    } else if (shape.type === 'list') {
      parts.push(`${Number(segment) + 1}`, 'member');
      shape = shapeIn(model, shape.member!.shape);
    } else {
      parts.push(segment);
      shape = shapeIn(model, (shape.value ?? shape.member ?? { shape: rootShapeName }).shape);
    }
  }
  return parts.join('.');
}

function valueAt(input: unknown, segments: string[]): unknown {
  let value = input;
  for (const segment of segments) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[segment] : undefined;
  return value;
}

/** A value as Coral's Java prints it in a message: lists `[a, b]`, maps and structures `{k=v, ...}`. */
function valueText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(valueText).join(', ')}]`;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null) return `{${Object.entries(value).map(([key, item]) => `${key}=${valueText(item)}`).join(', ')}}`;
  return String(value);
}

interface Failure {
  path: string;
  /** Order among the failures of one member: Coral names a broken pattern before a broken length. */
  rank: number;
  text: string;
}

const RANK: Record<ConstraintKind, number> = { pattern: 0, max: 1, min: 1, enum: 2 };

function failure(path: string, rank: number, value: unknown, isSensitive: boolean, constraint: string): Failure {
  // Coral leaves the value of a sensitive member (a password, a private key) out of the message.
  const subject = value === undefined ? 'Value null' : isSensitive ? 'Value' : `Value '${valueText(value)}'`;
  return { path, rank, text: `${subject} at '${path}' failed to satisfy constraint: ${constraint}` };
}

/**
 * One ajv error as Coral words it. An element of a list or map of scalars is reported at the collection, with
 * every constraint of the element's shape; a map key likewise, as `Map keys must satisfy constraint: [...]`.
 */
function failureOf(model: QueryServiceModel, rootShapeName: string, input: unknown, error: ErrorObject): Failure | undefined {
  const segments = pathSegments(error.instancePath);
  if (error.keyword === 'required') {
    return failure(coralPath(model, rootShapeName, [...segments, String(error.params.missingProperty)]), -1, undefined, false, 'Member must not be null');
  }
  // A broken key reports twice: as the key's own keyword (with propertyName), then as propertyNames.
  if (error.keyword === 'propertyNames') return undefined;
  if (error.keyword === 'type') throw new Error(`query input at ${error.instancePath} of ${rootShapeName} is not of its model type`);
  const located = shapeAtPath(model, rootShapeName, error.instancePath);
  const { shape, container } = located;
  if (error.propertyName !== undefined) {
    const key = shapeIn(model, shape.key!.shape);
    const path = coralPath(model, rootShapeName, segments);
    return failure(path, 0, valueAt(input, segments), key.sensitive === true, `Map keys must satisfy constraint: ${allConstraintSentences(key)}`);
  }
  const kind = constraintKindOf(error);
  const isScalar = shape.type !== 'structure' && shape.type !== 'list' && shape.type !== 'map';
  if (container !== undefined && isScalar) {
    const subject = container.isMap ? 'Map value' : 'Member';
    const path = coralPath(model, rootShapeName, container.segments);
    return failure(path, RANK[kind], valueAt(input, container.segments), shape.sensitive === true, `${subject} must satisfy constraint: ${allConstraintSentences(shape)}`);
  }
  const path = coralPath(model, rootShapeName, segments);
  return failure(path, RANK[kind], valueAt(input, segments), shape.sensitive === true, constraintSentence(kind, shape));
}

/** Failures grouped by member in the order ajv met them, each member's in Coral's order, without repeats. */
function orderedTexts(failures: Failure[]): string[] {
  const firstSeen = new Map<string, number>();
  failures.forEach((each, index) => firstSeen.set(each.path, firstSeen.get(each.path) ?? index));
  const sorted = [...failures].sort((a, b) => firstSeen.get(a.path)! - firstSeen.get(b.path)! || a.rank - b.rank);
  return [...new Set(sorted.map((each) => each.text))];
}

/** `2 validation errors detected: Value 'bad name!' at 'userName' failed to satisfy constraint: ...; ...`. */
export function queryValidationError(model: QueryServiceModel, rootShapeName: string, input: unknown, errors: ErrorObject[]): QueryError {
  const failures = errors.flatMap((error) => failureOf(model, rootShapeName, input, error) ?? []);
  const texts = orderedTexts(failures);
  if (texts.length === 0) throw new Error(`ajv rejected a ${rootShapeName} without an error`);
  const count = texts.length === 1 ? '1 validation error' : `${texts.length} validation errors`;
  return new QueryError('ValidationError', `${count} detected: ${texts.join('; ')}`);
}

/** Compiles the validator of each input shape once, on first use; patterns run on the linear-time engine. */
export function createQueryInputValidator(model: QueryServiceModel): QueryInputValidator {
  // Made on the first validation: the model itself may load on first use (model.ts).
  const validators = lazy(() => createShapeValidators(() => createModelAjv(parsedInputSchema(model), { allErrors: true }), schemaIdOf(model)));
  return {
    validate(operationName, input) {
      const inputShape = findOperationIn(model, operationName)?.input?.shape;
      if (inputShape === undefined) return;
      const validate = validators()(inputShape);
      if (validate(input)) return;
      throw queryValidationError(model, inputShape, input, validate.errors ?? []);
    },
  };
}

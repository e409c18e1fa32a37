// Validates an operation's input against its model shape with ajv, and words the failure as ECR does.
// Validators are compiled once per input shape, lazily, from the model schema; patterns run in linear time.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { AwsError, invalidParameter } from './aws-error';
import { linearRegExp } from './linear-reg-exp';
import { findOperation, shapeNamed, type Shape } from './model';
import { modelSchema } from './shape-schema';

export interface InputValidator {
  /** Throws AwsError when `input` does not satisfy the operation's input shape. */
  validate(operationName: string, input: Record<string, unknown>): void;
}

/** `/imageIds/0/imageTag` → `imageIds.1.member.imageTag`, the member path AWS messages use. */
export function awsMemberPath(instancePath: string, missingProperty?: string): string {
  const segments = pathSegments(instancePath);
  if (missingProperty !== undefined) segments.push(missingProperty);
  return memberPath(segments);
}

function pathSegments(instancePath: string): string[] {
  return instancePath
    .split('/')
    .filter((segment) => segment.length > 0)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function memberPath(segments: string[]): string {
  return segments.flatMap((segment) => (/^\d+$/.test(segment) ? [`${Number(segment) + 1}`, 'member'] : [segment])).join('.');
}

/** The model shape at an ajv instance path, with the list or map holding it when it is an element of one. */
interface ShapeAtPath {
  shape: Shape;
  shapeName: string;
  container?: { isMap: boolean; segments: string[] };
}

function shapeAtPath(rootShapeName: string, instancePath: string): ShapeAtPath {
  let located: ShapeAtPath = { shape: shapeNamed(rootShapeName), shapeName: rootShapeName };
  const walked: string[] = [];
  for (const segment of pathSegments(instancePath)) {
    const { shape } = located;
    const isCollection = shape.type === 'list' || shape.type === 'map';
    const next = shape.type === 'structure' ? shape.members?.[segment]?.shape : isCollection ? (shape.member ?? shape.value)?.shape : undefined;
    if (next === undefined) throw new Error(`no shape at ${instancePath} of ${rootShapeName}`);
    const container = isCollection ? { isMap: shape.type === 'map', segments: [...walked] } : undefined;
    located = { shape: shapeNamed(next), shapeName: next, container };
    walked.push(segment);
  }
  return located;
}

type ConstraintKind = 'max' | 'min' | 'pattern' | 'enum';

/** The constraint each ajv keyword of `schemaForShape` checks. */
const KIND_OF_KEYWORD: Record<string, ConstraintKind> = {
  maxLength: 'max',
  maxItems: 'max',
  maxProperties: 'max',
  maximum: 'max',
  minLength: 'min',
  minItems: 'min',
  minProperties: 'min',
  minimum: 'min',
  pattern: 'pattern',
  enum: 'enum',
};

function kindOf(keyword: string): ConstraintKind {
  const kind = KIND_OF_KEYWORD[keyword];
  if (kind === undefined) throw new Error(`no AWS wording for the ajv keyword ${keyword}`);
  return kind;
}

/** Coral's sentence for one constraint of a shape: numbers have a value, everything else a length. */
function sentence(kind: ConstraintKind, shape: Shape): string {
  const measure = shape.type === 'integer' || shape.type === 'long' ? 'value' : 'length';
  switch (kind) {
    case 'max':
      return `Member must have ${measure} less than or equal to ${String(shape.max)}`;
    case 'min':
      return `Member must have ${measure} greater than or equal to ${String(shape.min)}`;
    case 'pattern':
      return `Member must satisfy regular expression pattern: ${String(shape.pattern)}`;
    case 'enum':
      return `Member must satisfy enum value set: [${(shape.enum ?? []).join(', ')}]`;
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown constraint ${String(unreachable)}`);
    }
  }
}

/** Every constraint of a shape, in the order Coral lists them: maximum, minimum, pattern, enum. */
function allSentences(shape: Shape): string {
  const kinds = (['max', 'min', 'pattern', 'enum'] as const).filter((kind) => shape[kind] !== undefined);
  return `[${kinds.map((kind) => sentence(kind, shape)).join(', ')}]`;
}

function constraintFailure(path: string, constraint: string): AwsError {
  return invalidParameter(`Invalid parameter at '${path}' failed to satisfy constraint: '${constraint}'`);
}

/**
 * A repository name is checked by ECR itself, in older words than Coral's and always at `repositoryName`, even as
 * an element of `repositoryNames` (as real answers to CreateRepository, SetRepositoryPolicy and
 * DescribeRepositories show).
 */
function repositoryNameFailure(kind: ConstraintKind, shape: Shape): AwsError {
  const constraint = kind === 'pattern' ? `must satisfy regular expression '${String(shape.pattern)}'` : sentence(kind, shape).replace(/^Member /, '');
  return constraintFailure('repositoryName', constraint);
}

/**
 * ECR answers a model constraint a value breaks with InvalidParameterException in Coral's sentence, without the
 * count and value of Coral's ValidationException. An element of a list or map of scalars is reported at the
 * collection, with every constraint of the element's shape (`'Member must satisfy constraint: [...]'`).
 */
function constraintError(rootShapeName: string, error: ErrorObject): AwsError {
  const located = shapeAtPath(rootShapeName, error.instancePath);
  if (error.propertyName !== undefined) {
    const key = shapeNamed(located.shape.key!.shape);
    return constraintFailure(awsMemberPath(error.instancePath), `Map keys must satisfy constraint: ${allSentences(key)}`);
  }
  const { shape, shapeName, container } = located;
  const kind = kindOf(error.keyword);
  if (shapeName === 'RepositoryName') return repositoryNameFailure(kind, shape);
  const isScalar = shape.type !== 'structure' && shape.type !== 'list' && shape.type !== 'map';
  if (container !== undefined && isScalar) {
    const subject = container.isMap ? 'Map value' : 'Member';
    return constraintFailure(memberPath(container.segments), `${subject} must satisfy constraint: ${allSentences(shape)}`);
  }
  return constraintFailure(awsMemberPath(error.instancePath), sentence(kind, shape));
}

/** Member paths of every required member `value` lacks, depth first in model order, as Coral lists them. */
function missingMembers(shapeName: string, value: unknown, path: string[], missing: string[]): string[] {
  const shape = shapeNamed(shapeName);
  if (shape.type === 'structure' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const members = value as Record<string, unknown>;
    for (const name of shape.required ?? []) {
      if (!Object.hasOwn(members, name) || members[name] === undefined) missing.push([...path, name].join('.'));
    }
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      if (Object.hasOwn(members, name)) missingMembers(ref.shape, members[name], [...path, name], missing);
    }
  } else if (shape.type === 'list' && Array.isArray(value)) {
    value.forEach((item, index) => missingMembers(shape.member!.shape, item, [...path, `${index + 1}`, 'member'], missing));
  }
  return missing;
}

/** Coral's ValidationException for absent required members: all of them, counted. */
function nullMembersError(paths: string[]): AwsError {
  const count = paths.length === 1 ? '1 validation error' : `${paths.length} validation errors`;
  const failures = paths.map((path) => `Value null at '${path}' failed to satisfy constraint: Member must not be null`);
  return new AwsError('ValidationException', `${count} detected: ${failures.join('; ')}`);
}

/**
 * The error ECR answers for `input`, which failed the shape `shapeName` with ajv's `errors`: a value of the wrong
 * JSON type fails deserialisation first (SerializationException); then absent required members, every one of them
 * (ValidationException); then the first broken constraint (InvalidParameterException).
 */
export function awsErrorFor(shapeName: string, input: unknown, errors: ErrorObject[]): AwsError {
  // `propertyNames` reports its own error after the key's; the key's names the broken constraint.
  const error = errors.find((candidate) => candidate.keyword !== 'propertyNames') ?? errors[0];
  if (error === undefined) throw new Error(`ajv rejected a ${shapeName} without an error`);
  if (error.keyword === 'type') {
    const path = awsMemberPath(error.instancePath) || 'input';
    return new AwsError('SerializationException', `Unexpected value type at '${path}': expected ${String(error.params.type)}`);
  }
  const missing = missingMembers(shapeName, input, [], []);
  if (error.keyword === 'required' && missing.length === 0) missing.push(awsMemberPath(error.instancePath, String(error.params.missingProperty)));
  if (missing.length > 0) return nullMembersError(missing);
  return constraintError(shapeName, error);
}

/** One ajv holding every model shape under `ecr#/definitions/<Shape>`, with patterns on the linear-time engine. */
export function createModelAjv(): Ajv {
  // Java-flavoured AWS patterns are written for engines without the `u` flag; RE2 reads them as they are.
  const ajv = new Ajv({ allErrors: false, strict: false, unicodeRegExp: false, code: { regExp: linearRegExp } });
  ajv.addSchema(modelSchema());
  return ajv;
}

export function createInputValidator(): InputValidator {
  const ajv = createModelAjv();
  const validators = new Map<string, ValidateFunction>();

  function validatorFor(inputShape: string): ValidateFunction {
    const cached = validators.get(inputShape);
    if (cached !== undefined) return cached;
    const compiled = ajv.compile({ $ref: `ecr#/definitions/${inputShape}` });
    validators.set(inputShape, compiled);
    return compiled;
  }

  return {
    validate(operationName, input) {
      const inputShape = findOperation(operationName)?.input?.shape;
      if (inputShape === undefined) return;
      const validate = validatorFor(inputShape);
      if (validate(input)) return;
      throw awsErrorFor(inputShape, input, validate.errors ?? []);
    },
  };
}

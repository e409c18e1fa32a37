// Validates an operation's input against its model shape with ajv, and words the failure as ECR does.
// Validators are compiled once per input shape, lazily, from the model schema; patterns run in linear time.
import type { default as Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { lazy } from '../kernel/lazy';
import { AwsError, invalidParameter } from './aws-error';
import {
  allConstraintSentences as allSentences,
  constraintKindOf,
  constraintSentence as sentence,
  memberPath,
  pathSegments,
  shapeAtPath,
  type ConstraintKind,
} from './constraint-failures';
import { linearRegExp } from './linear-reg-exp';
import { ecrModel, findOperationIn, shapeIn, type JsonServiceModel, type Shape } from './model';
import { modelSchema, schemaIdOf, type JsonSchema } from './shape-schema';

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
function constraintError(model: JsonServiceModel, rootShapeName: string, error: ErrorObject): AwsError {
  const located = shapeAtPath(model, rootShapeName, error.instancePath);
  if (error.propertyName !== undefined) {
    const key = shapeIn(model, located.shape.key!.shape);
    return constraintFailure(awsMemberPath(error.instancePath), `Map keys must satisfy constraint: ${allSentences(key)}`);
  }
  const { shape, shapeName, container } = located;
  const kind = constraintKindOf(error);
  if (shapeName === 'RepositoryName') return repositoryNameFailure(kind, shape);
  const isScalar = shape.type !== 'structure' && shape.type !== 'list' && shape.type !== 'map';
  if (container !== undefined && isScalar) {
    const subject = container.isMap ? 'Map value' : 'Member';
    return constraintFailure(memberPath(container.segments), `${subject} must satisfy constraint: ${allSentences(shape)}`);
  }
  return constraintFailure(awsMemberPath(error.instancePath), sentence(kind, shape));
}

/** Member paths of every required member `value` lacks, depth first in model order, as Coral lists them. */
function missingMembers(model: JsonServiceModel, shapeName: string, value: unknown, path: string[], missing: string[]): string[] {
  const shape = shapeIn(model, shapeName);
  if (shape.type === 'structure' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const members = value as Record<string, unknown>;
    for (const name of shape.required ?? []) {
      if (!Object.hasOwn(members, name) || members[name] === undefined) missing.push([...path, name].join('.'));
    }
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      if (Object.hasOwn(members, name)) missingMembers(model, ref.shape, members[name], [...path, name], missing);
    }
  } else if (shape.type === 'list' && Array.isArray(value)) {
    value.forEach((item, index) => missingMembers(model, shape.member!.shape, item, [...path, `${index + 1}`, 'member'], missing));
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
 * The error ECR answers for `input`, which failed the shape `shapeName` of `model` with ajv's `errors`: a value of
 * the wrong JSON type fails deserialisation first (SerializationException); then absent required members, every
 * one of them (ValidationException); then the first broken constraint (InvalidParameterException).
 */
export function awsErrorFor(shapeName: string, input: unknown, errors: ErrorObject[], model: JsonServiceModel = ecrModel): AwsError {
  // `propertyNames` reports its own error after the key's; the key's names the broken constraint.
  const error = errors.find((candidate) => candidate.keyword !== 'propertyNames') ?? errors[0];
  if (error === undefined) throw new Error(`ajv rejected a ${shapeName} without an error`);
  if (error.keyword === 'type') {
    const path = awsMemberPath(error.instancePath) || 'input';
    return new AwsError('SerializationException', `Unexpected value type at '${path}': expected ${String(error.params.type)}`);
  }
  const missing = missingMembers(model, shapeName, input, [], []);
  if (error.keyword === 'required' && missing.length === 0) missing.push(awsMemberPath(error.instancePath, String(error.params.missingProperty)));
  if (missing.length > 0) return nullMembersError(missing);
  return constraintError(model, shapeName, error);
}

/** ajv is required by the first validator compiled (the first request of its plane), not at start. */
const ajvClass = lazy(() => (require('ajv') as typeof import('ajv')).default);

export interface ModelAjvOptions {
  /** Report every failure rather than the first (the query protocol's ValidationError lists them all). */
  allErrors?: boolean;
  /** Keep each validator's source, for ajv's standalone code (validator-codegen.ts). */
  source?: boolean;
}

/**
 * One ajv holding the model schema (by default ECR's, so shapes are `ecr#/definitions/<Shape>`), with patterns on
 * the linear-time engine.
 */
export function createModelAjv(schema: JsonSchema = modelSchema(), options: ModelAjvOptions = {}): Ajv {
  // Java-flavoured AWS patterns are written for engines without the `u` flag; RE2 reads them as they are. The schema
  // is generated from the model, not written by hand: checking it against JSON Schema's meta-schema took more of
  // the start than anything else, so spec/unit/aws/shape-schema.test.ts checks each model's once instead.
  const ajv = new (ajvClass())({
    allErrors: options.allErrors ?? false,
    strict: false,
    unicodeRegExp: false,
    validateSchema: false,
    code: { regExp: linearRegExp, ...(options.source === true ? { source: true, lines: true } : {}) },
  });
  ajv.addSchema(schema);
  return ajv;
}

/**
 * Compiles the validator of each shape once, on first use, from an ajv holding the schema of the id `schemaId`,
 * which `createAjv` makes on the first use too: a plane nobody calls costs the start nothing.
 */
export function createShapeValidators(createAjv: () => Ajv, schemaId: string): (shapeName: string) => ValidateFunction {
  const validators = new Map<string, ValidateFunction>();
  let ajv: Ajv | undefined;
  return (shapeName) => {
    const cached = validators.get(shapeName);
    if (cached !== undefined) return cached;
    ajv ??= createAjv();
    const compiled = ajv.compile({ $ref: `${schemaId}#/definitions/${shapeName}` });
    validators.set(shapeName, compiled);
    return compiled;
  };
}

/** ECR's validators as `npm run codegen` compiled them (ecr-validators.generated.ts), by input shape name. */
const precompiledEcrValidators = lazy(() => require('./ecr-validators.generated') as Record<string, ValidateFunction | undefined>);

/**
 * Validates inputs of a JSON 1.1 service (by default ECR), throwing AwsError worded as ECR words it. ECR's
 * validators come compiled at codegen time: compiling them here cost the first call of each operation 8 to 65 ms,
 * and the first call of the process 100 ms with ajv itself. Another model's compile on first use.
 */
export function createInputValidator(model: JsonServiceModel = ecrModel): InputValidator {
  const compileOnFirstUse = createShapeValidators(() => createModelAjv(modelSchema(model)), schemaIdOf(model));
  const validatorFor = model === ecrModel ? (shapeName: string) => precompiledEcrValidators()[shapeName] ?? compileOnFirstUse(shapeName) : compileOnFirstUse;
  return {
    validate(operationName, input) {
      const inputShape = findOperationIn(model, operationName)?.input?.shape;
      if (inputShape === undefined) return;
      const validate = validatorFor(inputShape);
      if (validate(input)) return;
      throw awsErrorFor(inputShape, input, validate.errors ?? [], model);
    },
  };
}

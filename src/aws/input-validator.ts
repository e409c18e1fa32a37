// Validates an operation's input against its model shape with ajv, and words the first failure as AWS does.
// Validators are compiled once per operation, lazily, from the model schema.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { AwsError, invalidParameter } from './aws-error';
import { ecrModel } from './model';
import { modelSchema } from './shape-schema';

export interface InputValidator {
  /** Throws AwsError when `input` does not satisfy the operation's input shape. */
  validate(operationName: string, input: Record<string, unknown>): void;
}

/** `/imageIds/0/imageTag` → `imageIds.1.member.imageTag`, the member path AWS messages use. */
export function awsMemberPath(instancePath: string, missingProperty?: string): string {
  const parts = instancePath.split('/').filter((part) => part.length > 0);
  if (missingProperty !== undefined) parts.push(missingProperty);
  const words: string[] = [];
  for (const part of parts) {
    if (/^\d+$/.test(part)) words.push(`${Number(part) + 1}`, 'member');
    else words.push(part.replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  return words.join('.');
}

function constraintFailure(path: string, constraint: string): AwsError {
  return invalidParameter(`Invalid parameter at '${path}' failed to satisfy constraint: '${constraint}'`);
}

/** Turns the first ajv error into the error ECR answers for the same violation. */
export function awsErrorFor(error: ErrorObject): AwsError {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required': {
      const path = awsMemberPath(error.instancePath, String(params.missingProperty));
      return new AwsError(
        'ValidationException',
        `1 validation error detected: Value null at '${path}' failed to satisfy constraint: Member must not be null`,
      );
    }
    case 'type':
      return new AwsError(
        'SerializationException',
        `Unexpected value type at '${awsMemberPath(error.instancePath) || 'input'}': expected ${String(params.type)}`,
      );
    case 'minLength':
    case 'minItems':
    case 'minProperties':
      return constraintFailure(awsMemberPath(error.instancePath), `must have length greater than or equal to ${String(params.limit)}`);
    case 'maxLength':
    case 'maxItems':
    case 'maxProperties':
      return constraintFailure(awsMemberPath(error.instancePath), `must have length less than or equal to ${String(params.limit)}`);
    case 'minimum':
      return constraintFailure(awsMemberPath(error.instancePath), `must be greater than or equal to ${String(params.limit)}`);
    case 'maximum':
      return constraintFailure(awsMemberPath(error.instancePath), `must be less than or equal to ${String(params.limit)}`);
    case 'pattern': {
      const pattern = String(params.pattern).replace(/^\^\(\?:/, '').replace(/\)\$$/, '');
      return constraintFailure(awsMemberPath(error.instancePath), `must satisfy regular expression '${pattern}'`);
    }
    case 'enum': {
      const values = (params.allowedValues as unknown[]).map(String).join(', ');
      return constraintFailure(awsMemberPath(error.instancePath), `must satisfy enum value set: [${values}]`);
    }
    default:
      return invalidParameter(`Invalid parameter at '${awsMemberPath(error.instancePath)}': ${error.message ?? 'invalid value'}`);
  }
}

/** `propertyNames` failures point at the map, not the key; AWS names the key. */
function normalise(errors: ErrorObject[]): ErrorObject {
  const keyError = errors.find((error) => error.keyword !== 'propertyNames' && error.propertyName !== undefined);
  if (keyError !== undefined) {
    return { ...keyError, instancePath: `${keyError.instancePath}/${keyError.propertyName ?? ''}` };
  }
  return errors[0]!;
}

export function createInputValidator(): InputValidator {
  // Java-flavoured AWS patterns are compiled without the `u` flag, which rejects some of their escapes.
  const ajv = new Ajv({ allErrors: false, strict: false, unicodeRegExp: false });
  ajv.addSchema(modelSchema());
  const validators = new Map<string, ValidateFunction>();

  function validatorFor(operationName: string): ValidateFunction | undefined {
    const cached = validators.get(operationName);
    if (cached !== undefined) return cached;
    const inputShape = ecrModel.operations[operationName]?.input?.shape;
    if (inputShape === undefined) return undefined;
    const compiled = ajv.compile({ $ref: `ecr#/definitions/${inputShape}` });
    validators.set(operationName, compiled);
    return compiled;
  }

  return {
    validate(operationName, input) {
      const validate = validatorFor(operationName);
      if (validate === undefined || validate(input)) return;
      throw awsErrorFor(normalise(validate.errors ?? []));
    },
  };
}

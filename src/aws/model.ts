// The vendored service models (botocore's service-2.json for ECR, IAM and STS) and typed access to them.
// Everything protocol-shaped (operations, shapes, constraints, error codes) is read from here, never hand-typed.
import rawEcrModel from './model/ecr-2015-09-21.json';
import rawEcrPaginators from './model/ecr-2015-09-21.paginators.json';
// Type-only, so they are required on first use (below) yet still shipped with the build.
import type rawIamModel from './model/iam-2010-05-08.json';
import rawIamPaginators from './model/iam-2010-05-08.paginators.json';
import type rawStsModel from './model/sts-2011-06-15.json';
import { lazy } from '../kernel/lazy';

/** A reference to a shape: a structure's member, a list's member, a map's key or value, an operation's input. */
export interface ShapeRef {
  shape: string;
  /** The wire name, when it is not the member's own (query parameters, XML elements). */
  locationName?: string;
  /** A list member written once per element under the member's name, without a wrapping element. */
  flattened?: boolean;
}

/** An operation's output: query answers wrap it in an element of this name (`CreateUserResult`). */
export interface OutputRef extends ShapeRef {
  resultWrapper?: string;
}

/** How the query protocol names a model exception on the wire, and the status it answers with. */
export interface ShapeError {
  code: string;
  httpStatusCode: number;
  senderFault?: boolean;
}

export interface Shape {
  type: 'string' | 'map' | 'list' | 'structure' | 'double' | 'timestamp' | 'integer' | 'boolean' | 'long' | 'blob';
  members?: Record<string, ShapeRef>;
  required?: string[];
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  exception?: boolean;
  fault?: boolean;
  error?: ShapeError;
  /** A list or map written without its wrapping element (query: `Name.N` rather than `Name.member.N`). */
  flattened?: boolean;
  locationName?: string;
  /** A secret (a password, a private key): AWS leaves its value out of validation messages. */
  sensitive?: boolean;
}

export interface Operation {
  name: string;
  input?: ShapeRef;
  output?: OutputRef;
  errors?: ShapeRef[];
}

export interface ServiceMetadata {
  apiVersion: string;
  protocol: 'json' | 'query';
  serviceId: string;
  endpointPrefix: string;
  /** The service name credentials are scoped to, when it is not the endpoint prefix (ECR's is `ecr`). */
  signingName?: string;
  targetPrefix?: string;
  jsonVersion?: string;
  xmlNamespace?: string;
}

export interface ServiceModel<Metadata extends ServiceMetadata = ServiceMetadata> {
  metadata: Metadata;
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

/** A JSON 1.1 service: operations are named by the X-Amz-Target header. */
export type JsonServiceModel = ServiceModel<ServiceMetadata & { protocol: 'json'; targetPrefix: string; jsonVersion: string }>;

/** A query service: form-encoded `Action=...` requests, XML answers in the model's namespace. */
export type QueryServiceModel = ServiceModel<ServiceMetadata & { protocol: 'query'; xmlNamespace: string }>;

export interface Paginator {
  input_token: string;
  output_token: string;
  limit_key: string;
  result_key: string | string[];
  /** The output member saying whether there is a further page (IAM's `IsTruncated`). */
  more_results?: string;
  non_aggregate_keys?: string[];
}

type PaginatorsFile = { pagination: Record<string, Paginator> };

/**
 * The model `load` returns, parsed on the first read of one of its members rather than at import: the IAM and STS
 * models are four fifths of the JSON the emulator carries, and most runs never call IAM or STS.
 */
function lazyModel<Model extends ServiceModel>(load: () => Model): Model {
  const model = lazy(load);
  const view: ServiceModel = {
    get metadata() {
      return model().metadata;
    },
    get operations() {
      return model().operations;
    },
    get shapes() {
      return model().shapes;
    },
  };
  return view as Model;
}

export const ecrModel = rawEcrModel as unknown as JsonServiceModel;
export const iamModel = lazyModel(() => (require('./model/iam-2010-05-08.json') as typeof rawIamModel) as unknown as QueryServiceModel);
export const stsModel = lazyModel(() => (require('./model/sts-2011-06-15.json') as typeof rawStsModel) as unknown as QueryServiceModel);
export const ecrPaginators = (rawEcrPaginators as unknown as PaginatorsFile).pagination;
export const iamPaginators = (rawIamPaginators as unknown as PaginatorsFile).pagination;

/** The shape of that name; throws an Error (a bug, never a request fault) when the model has none. */
export function shapeIn(model: ServiceModel, name: string): Shape {
  const shape = Object.hasOwn(model.shapes, name) ? model.shapes[name] : undefined;
  if (shape === undefined) throw new Error(`shape ${name} is not in the ${model.metadata.serviceId} model`);
  return shape;
}

/**
 * The model operation of that name, or undefined. Own keys only: a name such as `__proto__` or `constructor`
 * is no operation, whatever the object's prototype holds.
 */
export function findOperationIn(model: ServiceModel, name: string): Operation | undefined {
  return Object.hasOwn(model.operations, name) ? model.operations[name] : undefined;
}

export function operationNamesIn(model: ServiceModel): string[] {
  return Object.keys(model.operations).sort();
}

export function shapeNamed(name: string): Shape {
  return shapeIn(ecrModel, name);
}

/** The ECR operation of that name, or undefined (see findOperationIn). */
export function findOperation(name: string): Operation | undefined {
  return findOperationIn(ecrModel, name);
}

export function operationNames(): string[] {
  return operationNamesIn(ecrModel);
}

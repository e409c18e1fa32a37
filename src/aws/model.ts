// The vendored ECR service model (botocore's service-2.json) and typed access to it.
// Everything protocol-shaped (operations, shapes, constraints, error names) is read from here, never hand-typed.
import rawModel from './model/ecr-2015-09-21.json';
import rawPaginators from './model/ecr-2015-09-21.paginators.json';

export interface ShapeRef {
  shape: string;
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
}

export interface Operation {
  name: string;
  input?: ShapeRef;
  output?: ShapeRef;
  errors?: ShapeRef[];
}

export interface ServiceModel {
  metadata: { targetPrefix: string; apiVersion: string; jsonVersion: string };
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

export interface Paginator {
  input_token: string;
  output_token: string;
  limit_key: string;
  result_key: string | string[];
}

export const ecrModel = rawModel as unknown as ServiceModel;
export const ecrPaginators = (rawPaginators as unknown as { pagination: Record<string, Paginator> }).pagination;

export function shapeNamed(name: string): Shape {
  const shape = ecrModel.shapes[name];
  if (shape === undefined) throw new Error(`shape ${name} is not in the ECR model`);
  return shape;
}

/**
 * The model operation of that name, or undefined. Own keys only: a name such as `__proto__` or `constructor`
 * is no operation, whatever the object's prototype holds.
 */
export function findOperation(name: string): Operation | undefined {
  return Object.hasOwn(ecrModel.operations, name) ? ecrModel.operations[name] : undefined;
}

export function operationNames(): string[] {
  return Object.keys(ecrModel.operations).sort();
}

// Reads an ajv error against the model: the shape it happened at, and Coral's sentence for the constraint it broke.
// Shared by the JSON (ECR) and query (IAM, STS) validators, which word the rest of their messages differently.
import type { ErrorObject } from 'ajv';
import { shapeIn, type ServiceModel, type Shape } from './model';

/** `/imageIds/0/imageTag` → `['imageIds', '0', 'imageTag']`, with JSON Pointer escapes undone. */
export function pathSegments(instancePath: string): string[] {
  return instancePath
    .split('/')
    .filter((segment) => segment.length > 0)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `['imageIds', '0', 'imageTag']` → `imageIds.1.member.imageTag`: list elements count from 1, as Coral counts. */
export function memberPath(segments: string[]): string {
  return segments.flatMap((segment) => (/^\d+$/.test(segment) ? [`${Number(segment) + 1}`, 'member'] : [segment])).join('.');
}

/** The model shape at an ajv instance path, with the list or map holding it when it is an element of one. */
export interface ShapeAtPath {
  shape: Shape;
  shapeName: string;
  container?: { isMap: boolean; segments: string[] };
}

export function shapeAtPath(model: ServiceModel, rootShapeName: string, instancePath: string): ShapeAtPath {
  let located: ShapeAtPath = { shape: shapeIn(model, rootShapeName), shapeName: rootShapeName };
  const walked: string[] = [];
  for (const segment of pathSegments(instancePath)) {
    const { shape } = located;
    const isCollection = shape.type === 'list' || shape.type === 'map';
    const members = shape.members ?? {};
    const memberShape = Object.hasOwn(members, segment) ? members[segment]?.shape : undefined;
    const next = shape.type === 'structure' ? memberShape : isCollection ? (shape.member ?? shape.value)?.shape : undefined;
    if (next === undefined) throw new Error(`no shape at ${instancePath} of ${rootShapeName}`);
    const container = isCollection ? { isMap: shape.type === 'map', segments: [...walked] } : undefined;
    located = { shape: shapeIn(model, next), shapeName: next, container };
    walked.push(segment);
  }
  return located;
}

export type ConstraintKind = 'max' | 'min' | 'pattern' | 'enum';

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

export function constraintKindOf(error: ErrorObject): ConstraintKind {
  const kind = Object.hasOwn(KIND_OF_KEYWORD, error.keyword) ? KIND_OF_KEYWORD[error.keyword] : undefined;
  if (kind === undefined) throw new Error(`no AWS wording for the ajv keyword ${error.keyword}`);
  return kind;
}

/** Coral's sentence for one constraint of a shape: numbers have a value, everything else a length. */
export function constraintSentence(kind: ConstraintKind, shape: Shape): string {
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
export function allConstraintSentences(shape: Shape): string {
  const kinds = (['max', 'min', 'pattern', 'enum'] as const).filter((kind) => shape[kind] !== undefined);
  return `[${kinds.map((kind) => constraintSentence(kind, shape)).join(', ')}]`;
}

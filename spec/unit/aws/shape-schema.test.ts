// Model shapes compiled to JSON Schema: the schema each shape type yields, what ajv then accepts and refuses, and
// that the whole vendored model compiles.
import Ajv from 'ajv';
import { createModelAjv } from '../../../src/aws/input-validator';
import { ecrModel, iamModel, stsModel, type Shape } from '../../../src/aws/model';
import { parsedInputSchema } from '../../../src/aws/query-input-validator';
import { anchoredPattern, modelSchema, schemaForShape } from '../../../src/aws/shape-schema';

/** Validates values against `root` of a small model of `shapes`, compiled as the emulator compiles its own. */
function validatorOf(shapes: Record<string, Shape>, root: string): (value: unknown) => boolean {
  const definitions = Object.fromEntries(Object.entries(shapes).map(([name, shape]) => [name, schemaForShape(shape)]));
  const ajv = new Ajv({ strict: false, unicodeRegExp: false });
  ajv.addSchema({ $id: 'test', definitions });
  const validate = ajv.compile({ $ref: `test#/definitions/${root}` });
  return (value) => validate(value) === true;
}

const base64Of = (sizeInBytes: number): string => Buffer.alloc(sizeInBytes, 7).toString('base64');

describe('anchoredPattern', () => {
  test('wraps the pattern in a group anchored at both ends', () => {
    expect(anchoredPattern('[a-z]+')).toBe('^(?:[a-z]+)$');
  });

  test.each([
    ['a value the pattern only matches inside', 'a|b', 'xa', false],
    ['a value matching one alternative whole', 'a|b', 'b', true],
    ['a value matching the second alternative with a suffix', 'a|b', 'bx', false],
    ['a value matching an already anchored pattern', '^[0-9]{3}$', '123', true],
  ])('makes the pattern match the whole value: %s', (_case, pattern, value, isMatch) => {
    expect(new RegExp(anchoredPattern(pattern)).test(value)).toBe(isMatch);
  });
});

describe('schemaForShape', () => {
  test('turns a string shape with min, max, pattern and enum into length, anchored pattern and enum', () => {
    const shape: Shape = { type: 'string', min: 2, max: 5, pattern: '[A-Z]+', enum: ['AB', 'ABC'] };
    expect(schemaForShape(shape)).toEqual({ type: 'string', minLength: 2, maxLength: 5, pattern: '^(?:[A-Z]+)$', enum: ['AB', 'ABC'] });
  });

  test('turns an unconstrained string shape into a bare string schema', () => {
    expect(schemaForShape({ type: 'string' })).toEqual({ type: 'string' });
  });

  test.each([['integer' as const], ['long' as const]])('turns an %s shape with min and max into an integer range', (type) => {
    expect(schemaForShape({ type, min: 1, max: 1000 })).toEqual({ type: 'integer', minimum: 1, maximum: 1000 });
  });

  test('keeps a minimum of 0 on a numeric shape', () => {
    expect(schemaForShape({ type: 'long', min: 0 })).toEqual({ type: 'integer', minimum: 0 });
  });

  test.each([
    ['double', { type: 'number' }],
    ['boolean', { type: 'boolean' }],
    ['timestamp', { type: ['number', 'string'] }],
  ] as const)('turns a %s shape into %j', (type, schema) => {
    expect(schemaForShape({ type })).toEqual(schema);
  });

  test('turns a blob shape with a max into a string of at most its base64 length plus padding slack', () => {
    expect(schemaForShape({ type: 'blob', max: 300 })).toEqual({ type: 'string', maxLength: 404 });
  });

  test('turns a blob shape without a max into a bare string schema', () => {
    expect(schemaForShape({ type: 'blob' })).toEqual({ type: 'string' });
  });

  test('turns a list shape into an array of references to its member, with its item bounds', () => {
    expect(schemaForShape({ type: 'list', member: { shape: 'Item' }, min: 1, max: 100 })).toEqual({
      type: 'array',
      items: { $ref: '#/definitions/Item' },
      minItems: 1,
      maxItems: 100,
    });
  });

  test('turns a map shape into an object whose keys and values reference their shapes, with its size bounds', () => {
    expect(schemaForShape({ type: 'map', key: { shape: 'Key' }, value: { shape: 'Value' }, min: 1, max: 50 })).toEqual({
      type: 'object',
      additionalProperties: { $ref: '#/definitions/Value' },
      propertyNames: { $ref: '#/definitions/Key' },
      minProperties: 1,
      maxProperties: 50,
    });
  });

  test('turns a structure shape into an object of member references with its required members', () => {
    expect(schemaForShape({ type: 'structure', members: { name: { shape: 'Name' }, size: { shape: 'Size' } }, required: ['name'] })).toEqual({
      type: 'object',
      properties: { name: { $ref: '#/definitions/Name' }, size: { $ref: '#/definitions/Size' } },
      required: ['name'],
    });
  });

  test.each([
    ['an empty required list', { type: 'structure', members: {}, required: [] }],
    ['no required list', { type: 'structure', members: {} }],
    ['no members at all', { type: 'structure' }],
  ] as [string, Shape][])('leaves required out of a structure with %s', (_case, shape) => {
    expect(schemaForShape(shape)).toEqual({ type: 'object', properties: {} });
  });
});

describe('what a compiled shape accepts', () => {
  const shapes: Record<string, Shape> = {
    Name: { type: 'string', min: 2, max: 5, pattern: '[a-z]+' },
    Mode: { type: 'string', enum: ['ON', 'OFF'] },
    Count: { type: 'integer', min: 1, max: 10 },
    Part: { type: 'blob', max: 30 },
    Names: { type: 'list', member: { shape: 'Name' }, min: 1, max: 2 },
    Labels: { type: 'map', key: { shape: 'Name' }, value: { shape: 'Mode' } },
    Request: { type: 'structure', members: { name: { shape: 'Name' }, count: { shape: 'Count' } }, required: ['name'] },
  };

  test.each([
    ['a string within length and pattern', 'Name', 'abc', true],
    ['a string under its min', 'Name', 'a', false],
    ['a string over its max', 'Name', 'abcdef', false],
    ['a string the unanchored pattern matches only inside', 'Name', 'ab1', false],
    ['a string of the enum', 'Mode', 'ON', true],
    ['a string outside the enum', 'Mode', 'on', false],
    ['an integer at its max', 'Count', 10, true],
    ['an integer over its max', 'Count', 11, false],
    ['an integer under its min', 'Count', 0, false],
    ['a fraction for an integer', 'Count', 1.5, false],
    ['the base64 of a blob of its max length', 'Part', base64Of(30), true],
    ['the base64 of a blob 4 bytes over its max', 'Part', base64Of(34), false],
    ['a list within its bounds', 'Names', ['ab'], true],
    ['an empty list under its min', 'Names', [], false],
    ['a list over its max', 'Names', ['ab', 'cd', 'ef'], false],
    ['a list with a member breaking its shape', 'Names', ['ab', 'A'], false],
    ['a map whose keys and values satisfy their shapes', 'Labels', { ab: 'ON' }, true],
    ['a map with a key breaking the key shape', 'Labels', { A: 'ON' }, false],
    ['a map with a value breaking the value shape', 'Labels', { ab: 'MAYBE' }, false],
    ['a structure with its required member', 'Request', { name: 'ab' }, true],
    ['a structure without its required member', 'Request', { count: 1 }, false],
    ['a structure with a member breaking its shape', 'Request', { name: 'ab', count: 0 }, false],
    ['a structure with a member the model does not know (AWS ignores them)', 'Request', { name: 'ab', extra: true }, true],
  ])('%s: %j', (_case, root, value, isValid) => {
    expect(validatorOf(shapes, root)(value)).toBe(isValid);
  });
});

describe('modelSchema', () => {
  test('holds one definition per model shape under the id ecr', () => {
    const schema = modelSchema();
    expect(schema.$id).toBe('ecr');
    expect(Object.keys(schema.definitions as object).sort()).toEqual(Object.keys(ecrModel.shapes).sort());
  });

  test('defines each shape as schemaForShape does', () => {
    const definitions = modelSchema().definitions as Record<string, unknown>;
    expect(definitions.RepositoryName).toEqual(schemaForShape(ecrModel.shapes.RepositoryName!));
  });

  test('references only shapes it defines', () => {
    const definitions = modelSchema().definitions as Record<string, unknown>;
    const references = [...JSON.stringify(definitions).matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g)].map((match) => match[1]!);
    expect(references.filter((name) => !(name in definitions))).toEqual([]);
  });

  // The emulator skips ajv's own check of the schemas it generates (it cost the start most of its time): this is it.
  test.each([
    ['ECR', () => modelSchema(ecrModel)],
    ['IAM', () => parsedInputSchema(iamModel)],
    ['STS', () => parsedInputSchema(stsModel)],
  ])('generates a valid JSON Schema for the %s model', (_name, schemaOf) => {
    const ajv = new Ajv({ strict: false });
    expect(ajv.validateSchema(schemaOf())).toBe(true);
    expect(ajv.errors ?? null).toBeNull();
  });

  test('compiles every model shape into a validator', () => {
    const ajv = createModelAjv();
    const failures = Object.keys(ecrModel.shapes).flatMap((name) => {
      try {
        return typeof ajv.getSchema(`ecr#/definitions/${name}`) === 'function' ? [] : [`${name}: no validator`];
      } catch (error) {
        return [`${name}: ${String(error)}`];
      }
    });
    expect(failures).toEqual([]);
  });
});

// Every pattern of the IAM and STS models runs on the linear-time engine (RE2), rewritten where RE2 reads Java's
// syntax differently (`\u0020`) or not at all (a lookahead), and accepts exactly what the model's pattern does as
// JavaScript reads it. The time bound is generous, as in model-patterns.test.ts: a backtracking engine takes seconds.
import { createModelAjv } from '../../../src/aws/input-validator';
import { linearRegExp } from '../../../src/aws/linear-reg-exp';
import { iamModel, stsModel } from '../../../src/aws/model';
import { anchoredPattern, linearTimePatterns, modelSchema } from '../../../src/aws/shape-schema';

const BUDGET_MS = 200;
const LONG_VALUE_LENGTH = 4096;

/** A value each pattern accepts, keyed by the pattern: the variants grow from it. A new model pattern needs one. */
const ACCEPTED: Record<string, string> = {
  '[\\u0020-\\u00FF]+': 'key value ÿ',
  '^o-[a-z0-9]{10,32}$': 'o-abcdef1234',
  '[\\w._-]+': 'a.b_c-d',
  '[\\w]+': 'AIDA0123456789ABCDEF',
  '^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$': 'my-alias-1',
  '\\d{12}': '123456789012',
  '[\\d]+': '123456',
  '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+': '{"Version":\t"2012-10-17"}\r\n',
  '[\\w+=,.@-]+': 'bob+ci=x,y.z@example-1',
  '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*': 'A role for CI ¡',
  '[\\w-]+': 'request-0123456789',
  '^[a-zA-Z0-9:_.-]+$': 'a:b_c.d-e',
  '^o-[0-9a-z]{10,32}\\/r-[0-9a-z]{4,32}[0-9a-z-\\/]*': 'o-abcdef1234/r-ab12/ou-ab12-cdef3456/',
  '^p-[0-9a-zA-Z_]{8,128}$': 'p-FullAWSAccess',
  '^[a-zA-Z0-9:/+=,.@_-]+$': 'arn:aws:iam::123456789012:role/a+b=c,d.e@f_g-h',
  '\\u002F[\\u0021-\\u007F]*': '/team/',
  '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)': '/team/a/',
  '[ -~]+': 'Hello world ~',
  '((/[A-Za-z0-9\\.,\\+@=_-]+)*)/': '/a.b,c+d@e=f_g-h/',
  'v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?': 'v12.abc-1',
  '[A-Z0-9]+': 'ABCDEFGHIJ0123456789XY',
  '[:\\w]+': 'c8:e1:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:',
  '^http(s?)://[a-zA-Z0-9._/-]*(\\?[a-zA-Z0-9._=&-]*)?(#[a-zA-Z0-9._/-]*)?$': 'https://example.com/a?b=c&d#e',
  '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]+': 'workflow 1',
  '[\\w+=/:,.@-]+': 'arn:aws:iam::1:mfa/a+b=c,d.e@f-g',
  '[\\w-]*': 'a-b',
  '[\\w+=,.@-]*': 'bob+ci@example.com',
  '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+': 'Team Été_1.a:/=+-@',
  '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*': 'Team Été_1.a:/=+-@',
  '[\\w]*': 'ASIAIOSFODNN7EXAMPLE',
  '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+': 'arn:aws:iam::123456789012:role/deployer',
  '[\\w+=,.@:-]*': 'AROA:session@x',
  '[\\w+=,.@:\\/-]*': 'ext/id:1',
  '[\\w+=,.@\\:-]*': 'a:b',
  '[\\w+=/:,.@-]*': 'arn:aws:iam::1:mfa/x',
  '[\\d]*': '123456',
};

const models = [iamModel, stsModel];

/** Each distinct pattern of the two models, with one shape carrying it and the shortest maximum length among them. */
const patterns = [...new Map(
  models.flatMap((model) =>
    Object.entries(model.shapes).flatMap(([name, shape]) => (shape.pattern === undefined ? [] : [[shape.pattern, { pattern: shape.pattern, model, name, maxLength: shape.max }] as const])),
  ),
).values()];

/** JavaScript's reading of a model pattern: `\p{...}` classes need the `u` flag, which the others do without. */
function javaScriptRegExp(pattern: string): RegExp {
  return new RegExp(anchoredPattern(pattern), pattern.includes('\\p{') ? 'u' : '');
}

/** Whether a value matches every RE2 pattern the model's pattern became. */
function linearTimeTest(pattern: string): (value: string) => boolean {
  const engines = linearTimePatterns(pattern).map((each) => linearRegExp(each, ''));
  return (value) => engines.every((engine) => engine.test(value));
}

function pieces(value: string): string[] {
  const found = new Set<string>();
  for (let index = 0; index < value.length; index += 1) {
    found.add(value.slice(index, index + 1));
    found.add(value.slice(index, index + 2));
  }
  return [...found];
}

function pathologicalValues(accepted: string, length: number): string[] {
  return pieces(accepted).flatMap((piece) =>
    ['', accepted].flatMap((start) => {
      const body = (start + piece.repeat(Math.ceil(length / piece.length))).slice(0, length - 1);
      return [`${body}!`, `${body}\u0001`];
    }),
  );
}

function slowestMs(values: string[], run: (value: string) => unknown): number {
  let slowest = 0;
  for (const value of values) {
    const started = process.hrtime.bigint();
    run(value);
    slowest = Math.max(slowest, Number(process.hrtime.bigint() - started) / 1e6);
  }
  return slowest;
}

test('the IAM and STS models have patterns, and an accepted value for each', () => {
  expect(patterns.map(({ pattern }) => pattern).sort()).toEqual(Object.keys(ACCEPTED).sort());
});

describe.each(patterns)('the pattern $pattern', ({ pattern, model, name, maxLength }) => {
  test('compiles on the linear-time engine, with no fallback to JavaScript', () => {
    expect(linearTimePatterns(pattern).filter((each) => !linearRegExp(each, '').isLinearTime)).toEqual([]);
  });

  test('accepts its sample value, in the model schema too', () => {
    const validate = createModelAjv(modelSchema(model)).compile({ $ref: `${model.metadata.serviceId.toLowerCase()}#/definitions/${name}` });
    expect([linearTimeTest(pattern)(ACCEPTED[pattern]!), validate(ACCEPTED[pattern])]).toEqual([true, true]);
  });

  test("accepts and rejects variants of its sample as JavaScript's engine reads the model's pattern", () => {
    const accepted = ACCEPTED[pattern]!;
    const variants = [accepted, '', accepted.slice(0, -1), accepted.slice(1), accepted + accepted, accepted.toUpperCase(), `${accepted}/`, `/${accepted}`, `${accepted}\u{1F600}`, 'a--b', 'ab'];
    for (let index = 0; index < accepted.length; index += 1) {
      for (const replacement of ['!', '-', '-', '.', '/', '_', '*', ':', 'A', '0', ' ', '\t', '\u00e9', '\u0100', '\u0085', '\u{1F600}', '\u1000']) {
        variants.push(accepted.slice(0, index) + replacement + accepted.slice(index + 1));
      }
    }
    const linear = linearTimeTest(pattern);
    const javaScript = javaScriptRegExp(pattern);
    expect(variants.filter((value) => linear(value) !== javaScript.test(value))).toEqual([]);
  });

  test(`matches pathological values of up to ${LONG_VALUE_LENGTH} characters within ${BUDGET_MS} ms each`, () => {
    const linear = linearTimeTest(pattern);
    const length = Math.min(maxLength ?? LONG_VALUE_LENGTH, LONG_VALUE_LENGTH);
    expect(slowestMs(pathologicalValues(ACCEPTED[pattern]!, Math.max(length, 2)), linear)).toBeLessThan(BUDGET_MS);
  });
});

describe('linearTimePatterns', () => {
  test("rewrites Java's \\uXXXX escapes into RE2's \\x{XXXX}", () => {
    expect(linearTimePatterns('[\\u0020-\\u00FF]+')).toEqual(['^(?:[\\x{0020}-\\x{00FF}]+)$']);
  });

  test('reads exactly four hex digits after \\u, as Java and JavaScript do', () => {
    expect(linearTimePatterns('\\u10000')).toEqual(['^(?:\\x{1000}0)$']);
  });

  test('leaves an escaped backslash before a u alone', () => {
    expect(linearTimePatterns('\\\\u0020')).toEqual(['^(?:\\\\u0020)$']);
  });

  test('leaves a pattern without \\u as anchoredPattern makes it', () => {
    expect(linearTimePatterns('[\\w+=,.@-]+')).toEqual([anchoredPattern('[\\w+=,.@-]+')]);
  });

  test('replaces the account alias lookahead with patterns that all must match', () => {
    expect(linearTimePatterns('^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$')).toHaveLength(2);
  });

  test('accepts every short alias over a, 0 and - as the lookahead does, and the lengths around its bounds', () => {
    const alias = '^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$';
    const values = [''];
    for (let length = 1; length <= 7; length += 1) for (const value of values.filter((each) => each.length === length - 1)) values.push(`${value}a`, `${value}0`, `${value}-`);
    for (const length of [62, 63, 64, 65]) values.push('a'.repeat(length), `${'a-'.repeat(length)}`.slice(0, length - 1) + 'a');
    const linear = linearTimeTest(alias);
    const javaScript = javaScriptRegExp(alias);
    expect(values.filter((value) => linear(value) !== javaScript.test(value))).toEqual([]);
  });
});

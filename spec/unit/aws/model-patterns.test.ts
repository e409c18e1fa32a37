// Every pattern of the model runs in time linear in the value: a backtracking engine took seconds on 23
// characters of ScanningRepositoryFilterValue and froze the event loop. The time bound here is the one timing
// assertion the suite makes; it is generous (a backtracking engine takes seconds) so a busy machine never trips it.
import { AwsError } from '../../../src/aws/aws-error';
import { createInputValidator, createModelAjv } from '../../../src/aws/input-validator';
import { linearRegExp } from '../../../src/aws/linear-reg-exp';
import { ecrModel } from '../../../src/aws/model';
import { anchoredPattern } from '../../../src/aws/shape-schema';

const BUDGET_MS = 200;
const LONG_VALUE_LENGTH = 4096;

/** A value each pattern accepts: the pathological values grow from it. A new model pattern needs one here. */
const ACCEPTED: Record<string, string> = {
  Base64: 'QVdTOnBhc3N3b3Jk',
  CredentialArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub_1',
  ImageTagMutabilityExclusionFilterValue: 'release-*.1_x',
  KmsKeyForRepositoryCreationTemplate: 'arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-4e5f',
  LayerDigest: `sha256:${'0a'.repeat(32)}`,
  Prefix: 'team.a/app_b-c',
  PrincipalArn: 'arn:aws:iam::123456789012:role/path.a/name_b-c',
  PullThroughCacheRuleRepositoryPrefix: 'team.a/app_b-c',
  Region: 'us-east-1',
  RegistryId: '123456789012',
  RepositoryFilterValue: 'team.a/app_b-c',
  RepositoryName: 'team.a/app_b-c',
  ScanningRepositoryFilterValue: 'team.a/*_b-c',
  SigningProfileArn: 'arn:aws:signer:us-east-1:123456789012:/signing-profiles/profile_1',
  SigningRepositoryFilterValue: 'team.a/*_b-c',
  UploadId: '0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d',
};

const patternShapes = Object.entries(ecrModel.shapes)
  .filter(([, shape]) => shape.pattern !== undefined)
  .map(([name, shape]) => ({ name, pattern: shape.pattern!, maxLength: shape.max }));

/** The one- and two-character pieces of `value`: repeating one is what makes a backtracking engine explode. */
function pieces(value: string): string[] {
  const found = new Set<string>();
  for (let index = 0; index < value.length; index += 1) {
    found.add(value.slice(index, index + 1));
    found.add(value.slice(index, index + 2));
  }
  return [...found];
}

/** Long repetitions of accepted pieces, alone or after an accepted value, cut to `length` and ended by a rejected character. */
function pathologicalValues(accepted: string, length: number): string[] {
  const values: string[] = [];
  for (const piece of pieces(accepted)) {
    for (const start of ['', accepted]) {
      const body = (start + piece.repeat(Math.ceil(length / piece.length))).slice(0, length - 1);
      values.push(`${body}!`, `${body} `);
    }
  }
  return values;
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

test('the model has patterns, and an accepted value for each', () => {
  expect(patternShapes.length).toBeGreaterThan(0);
  expect(patternShapes.map(({ name }) => name).sort()).toEqual(Object.keys(ACCEPTED).sort());
});

describe.each(patternShapes)('the pattern of $name', ({ name, pattern, maxLength }) => {
  const validate = createModelAjv().compile({ $ref: `ecr#/definitions/${name}` });

  test('compiles on the linear-time engine, with no fallback to JavaScript', () => {
    expect(linearRegExp(anchoredPattern(pattern), '').isLinearTime).toBe(true);
  });

  test('accepts its sample value', () => {
    expect(validate(ACCEPTED[name])).toBe(true);
  });

  test(`validates pathological values up to the shape's maximum length within ${BUDGET_MS} ms each`, () => {
    const values = pathologicalValues(ACCEPTED[name]!, maxLength ?? LONG_VALUE_LENGTH);
    expect(slowestMs(values, (value) => validate(value))).toBeLessThan(BUDGET_MS);
  });

  test(`matches pathological values of ${LONG_VALUE_LENGTH} characters within ${BUDGET_MS} ms each`, () => {
    const engine = linearRegExp(anchoredPattern(pattern), '');
    expect(slowestMs(pathologicalValues(ACCEPTED[name]!, LONG_VALUE_LENGTH), (value) => engine.test(value))).toBeLessThan(BUDGET_MS);
  });

  test("accepts and rejects short values as JavaScript's engine did", () => {
    const accepted = ACCEPTED[name]!;
    const variants = [accepted, '', accepted.slice(0, -1), accepted.slice(1), accepted + accepted, accepted.toUpperCase(), `${accepted}/`, `/${accepted}`];
    for (let index = 0; index < accepted.length; index += 1) {
      for (const replacement of ['!', '-', '.', '/', '_', '*', ':', 'A', '0', ' ', '\u00e9']) variants.push(accepted.slice(0, index) + replacement + accepted.slice(index + 1));
    }
    const engine = linearRegExp(anchoredPattern(pattern), '');
    const javaScript = new RegExp(anchoredPattern(pattern));
    expect(variants.filter((value) => engine.test(value) !== javaScript.test(value))).toEqual([]);
  });
});

describe('a scanning repository filter', () => {
  const validator = createInputValidator();
  const filterRules = (filter: string) => ({ scanType: 'BASIC', rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter, filterType: 'WILDCARD' }] }] });

  function validationMs(filter: string): { elapsedMs: number; error: unknown } {
    const started = process.hrtime.bigint();
    let error: unknown;
    try {
      validator.validate('PutRegistryScanningConfiguration', filterRules(filter));
    } catch (thrown) {
      error = thrown;
    }
    return { elapsedMs: Number(process.hrtime.bigint() - started) / 1e6, error };
  }

  test.each([`${'0'.repeat(22)}!`, `${'0'.repeat(254)}!`])('that once backtracked for seconds (%s) is rejected within the budget', (filter) => {
    validationMs('warm/up');
    const { elapsedMs, error } = validationMs(filter);
    expect(error).toBeInstanceOf(AwsError);
    expect((error as AwsError).type).toBe('InvalidParameterException');
    expect(elapsedMs).toBeLessThan(BUDGET_MS);
  });

  test.each(['prod-*', '0'.repeat(255), 'team/app.x_y-*'])('that is valid (%s) is accepted', (filter) => {
    expect(validationMs(filter).error).toBeUndefined();
  });
});

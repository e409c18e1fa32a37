// The decision ring: newest-first reads with filters and limits, oldest-first reads per principal, and a capacity
// past which the oldest records are dropped.
import { createDecisionLog, type DecisionRecord, type DecisionResult } from '../../../src/auth/decision-log';

const ALICE = 'arn:aws:iam::111111111111:user/alice';
const BOB = 'arn:aws:iam::111111111111:user/bob';
const REPOSITORY = 'arn:aws:ecr:us-east-1:111111111111:repository/app';

/** The n-th record: its time is n seconds after the epoch, so tests can tell records apart by `at`. */
function entry(n: number, overrides: Partial<DecisionRecord> = {}): DecisionRecord {
  return {
    at: new Date(n * 1000),
    principal: ALICE,
    action: 'ecr:BatchGetImage',
    resource: REPOSITORY,
    result: 'allowed',
    reason: 'allowed',
    statements: [],
    ...overrides,
  };
}

const seconds = (records: DecisionRecord[]): number[] => records.map((record) => record.at.getTime() / 1000);

describe('createDecisionLog', () => {
  it('answers the latest records newest first', () => {
    const log = createDecisionLog();
    [1, 2, 3].forEach((n) => log.record(entry(n)));
    expect(seconds(log.latest())).toEqual([3, 2, 1]);
  });

  it('drops the oldest records past its capacity', () => {
    const log = createDecisionLog(3);
    [1, 2, 3, 4, 5].forEach((n) => log.record(entry(n)));
    expect(seconds(log.latest())).toEqual([5, 4, 3]);
  });

  it('keeps the order across many turns of the ring', () => {
    const log = createDecisionLog(4);
    for (let n = 1; n <= 27; n += 1) log.record(entry(n));
    expect(seconds(log.ofPrincipal(ALICE))).toEqual([24, 25, 26, 27]);
  });

  it('holds 10,000 records by default', () => {
    const log = createDecisionLog();
    for (let n = 1; n <= 10_005; n += 1) log.record(entry(n));
    const all = log.ofPrincipal(ALICE);
    expect(all).toHaveLength(10_000);
    expect(seconds([all[0]!])).toEqual([6]);
  });

  it('answers 100 records when no limit is given', () => {
    const log = createDecisionLog();
    for (let n = 1; n <= 150; n += 1) log.record(entry(n));
    expect(seconds(log.latest())).toEqual(Array.from({ length: 100 }, (_, index) => 150 - index));
  });

  it('answers at most 1000 records whatever the limit', () => {
    const log = createDecisionLog();
    for (let n = 1; n <= 1500; n += 1) log.record(entry(n));
    expect(log.latest({ limit: 5000 })).toHaveLength(1000);
  });

  it('counts the limit in matching records, not in records looked at', () => {
    const log = createDecisionLog();
    [1, 2, 3, 4].forEach((n) => log.record(entry(n, { principal: n % 2 === 0 ? BOB : ALICE })));
    expect(seconds(log.latest({ principal: ALICE, limit: 2 }))).toEqual([3, 1]);
  });

  it('filters by the exact principal ARN', () => {
    const log = createDecisionLog();
    log.record(entry(1, { principal: ALICE }));
    log.record(entry(2, { principal: `${ALICE}2` }));
    log.record(entry(3, { principal: ALICE.toUpperCase() }));
    expect(seconds(log.latest({ principal: ALICE }))).toEqual([1]);
  });

  it('filters by action regardless of case, as IAM compares action names', () => {
    const log = createDecisionLog();
    log.record(entry(1, { action: 'ecr:BatchGetImage' }));
    log.record(entry(2, { action: 'ecr:PutImage' }));
    expect(seconds(log.latest({ action: 'ECR:batchgetimage' }))).toEqual([1]);
  });

  it.each<[DecisionResult, number[]]>([
    ['allowed', [1]],
    ['denied', [2]],
    ['would-be-denied', [3]],
  ])('filters by the result %s', (result, expected) => {
    const log = createDecisionLog();
    log.record(entry(1, { result: 'allowed' }));
    log.record(entry(2, { result: 'denied', reason: 'no-identity-allow' }));
    log.record(entry(3, { result: 'would-be-denied', reason: 'no-identity-allow' }));
    expect(seconds(log.latest({ result }))).toEqual(expected);
  });

  it('applies every filter given at once', () => {
    const log = createDecisionLog();
    log.record(entry(1, { principal: ALICE, action: 'ecr:PutImage', result: 'denied' }));
    log.record(entry(2, { principal: BOB, action: 'ecr:PutImage', result: 'denied' }));
    log.record(entry(3, { principal: ALICE, action: 'ecr:BatchGetImage', result: 'denied' }));
    log.record(entry(4, { principal: ALICE, action: 'ecr:PutImage', result: 'allowed' }));
    expect(seconds(log.latest({ principal: ALICE, action: 'ecr:putimage', result: 'denied' }))).toEqual([1]);
  });

  it('answers every record of one principal oldest first', () => {
    const log = createDecisionLog();
    [1, 2, 3, 4, 5].forEach((n) => log.record(entry(n, { principal: n === 3 ? BOB : ALICE })));
    expect(seconds(log.ofPrincipal(ALICE))).toEqual([1, 2, 4, 5]);
  });

  it('answers nothing for a principal it has no record of', () => {
    const log = createDecisionLog();
    log.record(entry(1));
    expect(log.ofPrincipal(BOB)).toEqual([]);
  });

  it('forgets every record on clear and records again after it', () => {
    const log = createDecisionLog(3);
    [1, 2].forEach((n) => log.record(entry(n)));
    log.clear();
    expect(log.latest()).toEqual([]);
    log.record(entry(7));
    expect(seconds(log.latest())).toEqual([7]);
  });

  it('answers the records as recorded', () => {
    const log = createDecisionLog();
    const denied = entry(1, {
      result: 'denied',
      reason: 'explicit-deny-resource',
      message: 'User: arn:aws:iam::111111111111:user/alice is not authorized to perform: ecr:BatchGetImage',
    });
    log.record(denied);
    expect(log.latest()).toEqual([denied]);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses the capacity %p', (capacity) => {
    expect(() => createDecisionLog(capacity)).toThrow(RangeError);
  });

  it.each([0, -3, 2.5])('refuses the limit %p', (limit) => {
    expect(() => createDecisionLog().latest({ limit })).toThrow(RangeError);
  });
});

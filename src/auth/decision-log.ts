// The recent access decisions of both planes, in a ring of fixed capacity: the oldest record is dropped for each new
// one past it, so memory stays bounded however long the emulator runs. Records what it is told; decides nothing.
import type { DecisionReason, MatchedStatement } from './policy-evaluation';

/** `would-be-denied`: the policies deny it, but `--iam soft` let the request through. */
export type DecisionResult = 'allowed' | 'denied' | 'would-be-denied';

export const DECISION_RESULTS: readonly DecisionResult[] = ['allowed', 'denied', 'would-be-denied'];

export interface DecisionRecord {
  at: Date;
  /** The caller's ARN. */
  principal: string;
  /** As IAM names actions, e.g. `ecr:BatchGetImage`. */
  action: string;
  resource: string;
  result: DecisionResult;
  reason: DecisionReason;
  /** The denial text the caller got (or would have got, in soft mode). */
  message?: string;
  /** Every statement that matched, the deciding one among them. */
  statements: MatchedStatement[];
}

export interface DecisionFilter {
  /** The caller's ARN, exactly. */
  principal?: string;
  /** Compared case-insensitively, as IAM compares action names. */
  action?: string;
  result?: DecisionResult;
  /** At most this many records; default DEFAULT_DECISION_LIMIT, values above MAX_DECISION_LIMIT count as it. */
  limit?: number;
}

export interface DecisionLog {
  /** O(1); past the capacity, the oldest record is dropped. The record is kept as given, not copied. */
  record(entry: DecisionRecord): void;
  /** The newest records matching the filter, newest first. Throws RangeError for a limit that is not a positive integer. */
  latest(filter?: DecisionFilter): DecisionRecord[];
  /** Every record of the principal still in the ring, oldest first. */
  ofPrincipal(principalArn: string): DecisionRecord[];
  clear(): void;
}

export const DEFAULT_DECISION_LOG_CAPACITY = 10_000;
export const DEFAULT_DECISION_LIMIT = 100;
export const MAX_DECISION_LIMIT = 1000;

function matcherOf(filter: DecisionFilter): (entry: DecisionRecord) => boolean {
  const action = filter.action?.toLowerCase();
  return (entry) =>
    (filter.principal === undefined || entry.principal === filter.principal) &&
    (action === undefined || entry.action.toLowerCase() === action) &&
    (filter.result === undefined || entry.result === filter.result);
}

function limitOf(filter: DecisionFilter): number {
  const limit = filter.limit ?? DEFAULT_DECISION_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  return Math.min(limit, MAX_DECISION_LIMIT);
}

/** Throws RangeError for a capacity that is not a positive integer. */
export function createDecisionLog(capacity = DEFAULT_DECISION_LOG_CAPACITY): DecisionLog {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  let slots: (DecisionRecord | undefined)[] = new Array<DecisionRecord | undefined>(capacity);
  // The slot the next record goes into, and how many slots hold one; the oldest is at (next - size) mod capacity.
  let next = 0;
  let size = 0;

  /** The index-th record from the oldest (0) to the newest (size - 1). */
  const at = (index: number): DecisionRecord => slots[(next - size + index + capacity) % capacity]!;

  return {
    record(entry) {
      slots[next] = entry;
      next = (next + 1) % capacity;
      size = Math.min(size + 1, capacity);
    },
    latest(filter = {}) {
      const limit = limitOf(filter);
      const matches = matcherOf(filter);
      const found: DecisionRecord[] = [];
      for (let index = size - 1; index >= 0 && found.length < limit; index -= 1) {
        const entry = at(index);
        if (matches(entry)) found.push(entry);
      }
      return found;
    },
    ofPrincipal(principalArn) {
      const found: DecisionRecord[] = [];
      for (let index = 0; index < size; index += 1) {
        const entry = at(index);
        if (entry.principal === principalArn) found.push(entry);
      }
      return found;
    },
    clear() {
      // A fresh array, so the dropped records can be collected at once.
      slots = new Array<DecisionRecord | undefined>(capacity);
      next = 0;
      size = 0;
    },
  };
}

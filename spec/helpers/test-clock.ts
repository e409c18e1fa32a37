// A clock a test sets and moves, for an emulator started in this process (startTestEmulator's `clock`). It never
// reads the system clock; an emulator running as a separate process cannot take one.
import type { Clock } from '../../src/kernel/clock';

export interface TestClock extends Clock {
  /** The instant it was created with, and returns to on `reset`. */
  readonly start: Date;
  set(at: Date): void;
  advance(milliseconds: number): void;
  reset(): void;
}

export function testClock(start: Date): TestClock {
  let now = start;
  return {
    start,
    now: () => now,
    set(at) {
      now = at;
    },
    advance(milliseconds) {
      now = new Date(now.getTime() + milliseconds);
    },
    reset() {
      now = start;
    },
  };
}

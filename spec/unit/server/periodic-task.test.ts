// Periodic tasks (upload sweeps, scheduled lifecycle runs): run at each interval, never two at once, errors reported
// without stopping the schedule, and a stop that waits for the run under way.
import { startPeriodicTask } from '../../../src/server/periodic-task';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test('runs once per interval', async () => {
  let runs = 0;
  const task = startPeriodicTask(1000, async () => void (runs += 1), () => undefined);
  await jest.advanceTimersByTimeAsync(3500);
  await task.stop();
  expect(runs).toBe(3);
});

test('does not start a run while the previous one is under way', async () => {
  let started = 0;
  let finish: () => void = () => undefined;
  const task = startPeriodicTask(1000, () => {
    started += 1;
    return new Promise<void>((resolve) => (finish = resolve));
  }, () => undefined);
  await jest.advanceTimersByTimeAsync(3500);
  expect(started).toBe(1);
  finish();
  await task.stop();
});

test('reports a failed run and keeps the schedule', async () => {
  const errors: unknown[] = [];
  let runs = 0;
  const task = startPeriodicTask(1000, async () => {
    runs += 1;
    throw new Error(`run ${runs} failed`);
  }, (error) => errors.push(error));
  await jest.advanceTimersByTimeAsync(2500);
  await task.stop();
  expect([runs, errors.map((error) => (error as Error).message)]).toEqual([2, ['run 1 failed', 'run 2 failed']]);
});

test('stop waits for the run under way and ends the schedule', async () => {
  let finished = false;
  let runs = 0;
  const task = startPeriodicTask(1000, async () => {
    runs += 1;
    await new Promise((resolve) => setTimeout(resolve, 500));
    finished = true;
  }, () => undefined);
  await jest.advanceTimersByTimeAsync(1000);
  const stopping = task.stop();
  await jest.advanceTimersByTimeAsync(5000);
  await stopping;
  expect([finished, runs]).toEqual([true, 1]);
});

// Work the emulator does on its own at an interval (upload sweeps, scheduled lifecycle runs): one run at a time, a
// timer that never keeps the process alive, and a stop that waits for a run under way so the store can close after.

export interface PeriodicTask {
  stop(): Promise<void>;
}

export function startPeriodicTask(intervalMs: number, run: () => Promise<void>, onError: (error: unknown) => void): PeriodicTask {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    // A run still under way when the next is due is not doubled.
    running ??= run()
      .catch(onError)
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

// The name and message a call fails with, for tests that check both of an SDK exception.
export async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  throw new Error('the call succeeded');
}

/** The error of class `kind` that `work` throws, or a failure naming what it did instead. */
export function thrownBy<T extends Error>(kind: new (...args: never[]) => T, work: () => unknown): T {
  try {
    work();
  } catch (error) {
    if (error instanceof kind) return error;
    throw new Error(`threw something other than a ${kind.name}: ${String(error)}`);
  }
  throw new Error('returned instead of throwing');
}

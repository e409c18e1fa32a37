// A value computed on its first use and kept: heavy modules the start does not need (ajv, RE2, the SigV4 signer)
// are required by the first request that does, so the start does not compile them.

/** Returns a function that calls `load` once, on its first call, and returns that result from then on. */
export function lazy<T>(load: () => T): () => T {
  let isLoaded = false;
  let value: T;
  return () => {
    if (!isLoaded) {
      value = load();
      isLoaded = true;
    }
    return value;
  };
}

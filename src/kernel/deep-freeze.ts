// Freezes a value and everything it holds, so one object can be handed to every reader of a cache: a reader that
// tried to change it would throw (modules run in strict mode) instead of changing what the next reader sees.

export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}

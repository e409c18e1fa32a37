// The regular-expression engine ajv runs model patterns on: RE2 (re2js), which matches in time linear in the
// input, so no request value can make a pattern backtrack for seconds and freeze the event loop.
import { lazy } from '../kernel/lazy';

/** A quarter of a megabyte of JavaScript: loaded with the first pattern compiled (the first validated request), not at start. */
const re2js = lazy(() => require('re2js') as typeof import('re2js'));

export interface LinearRegExp {
  test(value: string): boolean;
  /** False only for a pattern RE2 cannot compile (backreferences, lookarounds), run on JavaScript's engine. */
  readonly isLinearTime: boolean;
  /** ajv keys its compiled patterns by this text, so each pattern needs its own. */
  toString(): string;
}

export interface LinearRegExpEngine {
  (pattern: string, flags: string): LinearRegExp;
  /** ajv writes this expression into standalone validator modules; the emulator compiles in process only. */
  code: string;
}

/** The pattern on RE2, or on JavaScript's engine when RE2 cannot compile it (backreferences, lookarounds). */
function compiled(pattern: string, flags: string): { test(value: string): boolean; isLinearTime: boolean } {
  try {
    const re2 = re2js().RE2JS.compile(pattern);
    return { test: (value) => re2.test(value), isLinearTime: true };
  } catch (error) {
    if (!(error instanceof re2js().RE2JSSyntaxException)) throw error;
    const native = new RegExp(pattern, flags);
    return { test: (value) => native.test(value), isLinearTime: false };
  }
}

/**
 * ajv's `code.regExp` engine. The only flag ajv passes is `u` (with `unicodeRegExp`), which RE2 needs not: it
 * reads every input as code points. A pattern RE2 rejects falls back to JavaScript's RegExp rather than failing
 * start-up; `isLinearTime` tells, and a unit test keeps every model pattern on RE2. Each pattern compiles on its
 * first use: the precompiled validators (ecr-validators.generated.ts) name every pattern of the model when they load.
 */
export const linearRegExp: LinearRegExpEngine = Object.assign(
  (pattern: string, flags: string): LinearRegExp => {
    if (flags.replace('u', '') !== '') throw new Error(`unsupported regular expression flags '${flags}'`);
    let engine: ReturnType<typeof compiled> | undefined;
    const compiledOnce = (): ReturnType<typeof compiled> => (engine ??= compiled(pattern, flags));
    return {
      test: (value) => compiledOnce().test(value),
      get isLinearTime() {
        return compiledOnce().isLinearTime;
      },
      toString: () => `/${pattern}/${flags}`,
    };
  },
  { code: 'require("./linear-reg-exp").linearRegExp' },
);

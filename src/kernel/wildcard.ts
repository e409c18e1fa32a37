// Wildcard matching in linear time, for patterns users supply: ECR's `*` filters (tag mutability exclusions,
// lifecycle tag patterns, scanning and signing repository filters) and IAM's `*` / `?` in actions and resources.
// No regular expressions: a filter like `*a*a*a*a*b` must not make one request slow for everyone.

export interface GlobOptions {
  /** `?` stands for exactly one character (IAM); otherwise it is literal (ECR's filters). */
  hasSingleCharacterWildcard?: boolean;
  /** Compare case-insensitively (IAM actions). */
  isCaseInsensitive?: boolean;
}

/**
 * Whether `pattern` matches the whole of `text`, `*` standing for any run of characters. The classic greedy
 * two-pointer match: on a mismatch it resumes just after the last `*`, so the work is O(pattern × text) at worst
 * and O(pattern + text) for the patterns people write, never exponential.
 */
export function matchesGlob(pattern: string, text: string, options: GlobOptions = {}): boolean {
  const p = options.isCaseInsensitive === true ? pattern.toLowerCase() : pattern;
  const t = options.isCaseInsensitive === true ? text.toLowerCase() : text;
  const isAny = options.hasSingleCharacterWildcard === true ? (char: string) => char === '?' : () => false;
  let pi = 0;
  let ti = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (ti < t.length) {
    if (pi < p.length && p[pi] === '*') {
      starAt = pi;
      resumeAt = ti;
      pi += 1;
    } else if (pi < p.length && (p[pi] === t[ti] || isAny(p[pi]!))) {
      pi += 1;
      ti += 1;
    } else if (starAt >= 0) {
      pi = starAt + 1;
      resumeAt += 1;
      ti = resumeAt;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') pi += 1;
  return pi === p.length;
}

/** ECR's `*` wildcard: the pattern matches the whole text; nothing but `*` is special. */
export function matchesWildcard(pattern: string, text: string): boolean {
  return matchesGlob(pattern, text);
}

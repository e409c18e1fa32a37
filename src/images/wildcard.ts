// ECR's `*` wildcards (tag mutability exclusion filters, lifecycle tag patterns, scanning and signing repository
// filters): the pattern must match the whole text, each `*` standing for zero or more characters; nothing else is
// special. One implementation for every place ECR uses them.

export function matchesWildcard(pattern: string, text: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`).test(text);
}

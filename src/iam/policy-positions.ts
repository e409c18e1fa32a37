// Where each statement of a policy document's text begins and ends, as IAM's simulator reports it (Position: line
// and column). Reads the text as JSON tokens only far enough to find the Statement element's objects; it validates
// nothing, and answers nothing when the text and the parsed statements disagree.
import type { Position } from '../aws/iam-types.generated';

export interface StatementSpan {
  start: Position;
  end: Position;
}

/**
 * Where each statement of a document starts and ends, as IAM's Position: 1-based lines, and columns one past the
 * brace, as IAM's own examples count them. Approximate, since IAM does not document its convention. Undefined when
 * the text does not show one object per parsed statement. Strings are skipped, so braces in values do not count.
 */
export function statementSpans(text: string, count: number): StatementSpan[] | undefined {
  const spans: StatementSpan[] = [];
  let depth = 0;
  let line = 1;
  let column = 0;
  let stringStart = -1;
  let lastString = '';
  let awaitsStatement = false;
  let listDepth = -1;
  let open: { depth: number; start: Position } | undefined;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    column = char === '\n' ? 0 : column + 1;
    if (char === '\n') line += 1;
    if (stringStart >= 0) {
      // An escape is two characters, never a line break.
      if (char === '\\') [index, column] = [index + 1, column + 1];
      else if (char === '"') [lastString, stringStart] = [text.slice(stringStart + 1, index), -1];
      continue;
    }
    if (char === '"') stringStart = index;
    else if (char === ':' && depth === 1) awaitsStatement = lastString === 'Statement';
    else if (char === '{' || char === '[') {
      depth += 1;
      if (awaitsStatement && char === '[') listDepth = depth;
      else if (char === '{' && (awaitsStatement || depth === listDepth + 1)) open = { depth, start: { Line: line, Column: column + 1 } };
      awaitsStatement = false;
    } else if (char === '}' || char === ']') {
      if (open !== undefined && depth === open.depth) {
        spans.push({ start: open.start, end: { Line: line, Column: column + 1 } });
        open = undefined;
      }
      if (char === ']' && depth === listDepth) listDepth = -1;
      depth -= 1;
    }
  }
  return spans.length === count ? spans : undefined;
}

// Where statements sit in a policy text, as the simulator's StartPosition/EndPosition report them: AWS's own example,
// a list of statements over several lines, braces inside strings, and texts that do not match their statements.
import { statementSpans } from '../../../src/iam/policy-positions';

describe('statementSpans', () => {
  test("places the statement of AWS's simulate-custom-policy example where AWS's answer does", () => {
    const text = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}';
    expect(statementSpans(text, 1)).toEqual([{ start: { Line: 1, Column: 38 }, end: { Line: 1, Column: 167 } }]);
  });

  test('places each statement of a list over several lines, nested objects inside them not counted', () => {
    const text = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecr:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }, { Effect: 'Deny', Action: 's3:*', Resource: '*' }] }, null, 2);
    expect(statementSpans(text, 2)).toEqual([
      { start: { Line: 4, Column: 6 }, end: { Line: 13, Column: 6 } },
      { start: { Line: 14, Column: 6 }, end: { Line: 18, Column: 6 } },
    ]);
  });

  test('skips braces, brackets and escaped quotes inside strings', () => {
    const text = '{"Id":"{[\\"Statement\\"]}","Statement":[{"Sid":"a}{","Effect":"Allow","Action":"*","Resource":"*"}]}';
    expect(statementSpans(text, 1)).toEqual([{ start: { Line: 1, Column: 41 }, end: { Line: 1, Column: 98 } }]);
  });

  test('answers nothing when the text shows another number of statements than were parsed', () => {
    expect(statementSpans('{"Statement":[{"Effect":"Allow"}]}', 2)).toBeUndefined();
  });
});

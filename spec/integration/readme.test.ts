// The README stays true: its generated tables match FLAGS and the served operations, and its two commands stand.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { FLAGS } from '../../src/config';
import { operationNames } from '../../src/aws/model';
import { handlerFor } from '../../src/ecr/operations';
import { servedIamOperations } from '../../src/iam/iam-operations';
import { stsHandlers } from '../../src/iam/sts-handlers';

const ROOT = path.resolve(__dirname, '../..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const run = promisify(execFile);

describe('README.md', () => {
  it('has tables equal to what `npm run readme` generates from the build', async () => {
    await expect(run(process.execPath, [path.join(ROOT, 'scripts/readme-tables.mjs'), '--check'], { cwd: ROOT })).resolves.toBeDefined();
  });

  it('lists every flag with its environment variable in the configuration table', () => {
    for (const spec of FLAGS) expect(README).toMatch(new RegExp(`\\| \`--${spec.flag}\\b[^|]*\` \\| \`${spec.env}\` \\|`));
  });

  it('marks each model operation as served exactly when the operation table has a handler for it', () => {
    for (const name of operationNames()) {
      const row = new RegExp(`^\\| \`${name}\` \\| (.*) \\|$`, 'm').exec(README);
      expect([name, row?.[1] === 'yes']).toEqual([name, handlerFor(name) !== undefined]);
    }
  });

  it('names every IAM and STS operation served, in the list of served operations', () => {
    const listed = /IAM operations served: (.*?)\. STS: (.*?)\. /s.exec(README);
    const names = (text: string | undefined) => [...(text ?? '').matchAll(/`(\w+)`/g)].map((match) => match[1]).sort();
    expect([names(listed?.[1]), names(listed?.[2])]).toEqual([servedIamOperations(), Object.keys(stsHandlers).sort()]);
  });

  it('keeps the two commands a newcomer needs', () => {
    expect(README).toMatch(/## The two commands\n\n```sh\nnpm ci && npm start .*\nnpm test .*\n```/);
  });
});

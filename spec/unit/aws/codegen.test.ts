// The generated types must match the vendored models: editing one without the other fails here.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');
const SCRIPT = join(ROOT, 'scripts/codegen-types.mjs');

describe('the generated types', () => {
  test('are what `npm run codegen` makes from the committed models', () => {
    const check = spawnSync(process.execPath, [SCRIPT, '--check'], { encoding: 'utf8' });
    expect({ status: check.status, stderr: check.stderr }).toEqual({ status: 0, stderr: '' });
  });

  test.each(['ecr-types.generated.ts', 'iam-types.generated.ts', 'sts-types.generated.ts'])('include %s in the drift check', (file) => {
    const listed = spawnSync(process.execPath, [SCRIPT, '--list'], { encoding: 'utf8' }).stdout.split('\n');
    expect(listed).toContain(`src/aws/${file}`);
  });

  // Shape types keep their model names (IAM and STS share `Tag`); the service-wide names carry the service's.
  test.each([
    ['ecr', 'Ecr', 'EcrExceptionName'],
    ['iam', 'Iam', 'IamErrorCode'],
    ['sts', 'Sts', 'StsErrorCode'],
  ])('name the operations and errors of %s-types.generated.ts after the service', (service, prefix, errors) => {
    const text = readFileSync(join(ROOT, `src/aws/${service}-types.generated.ts`), 'utf8');
    const exported = [`export interface ${prefix}Operations {`, `export type ${prefix}OperationName =`, `export type ${errors} =`];
    expect(exported.filter((declaration) => !text.includes(declaration))).toEqual([]);
  });
});

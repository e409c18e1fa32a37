// The generated types must match the vendored model: editing one without the other fails here.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

describe('ecr-types.generated.ts', () => {
  it('is what `npm run codegen` makes from the committed model', () => {
    expect(() => execFileSync(process.execPath, [join(__dirname, '../../../scripts/codegen-types.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});

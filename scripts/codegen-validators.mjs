// Writes src/aws/ecr-validators.generated.ts from the built validator-codegen module (run after `npm run build`):
// ajv standalone validators for every ECR operation input. `--check` exits 1 when the committed file has drifted.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { standaloneValidatorsSource } = require(join(root, 'dist/aws/validator-codegen.js'));
const { ecrModel } = require(join(root, 'dist/aws/model.js'));
const target = join(root, 'src/aws/ecr-validators.generated.ts');
const source = standaloneValidatorsSource(ecrModel);
if (process.argv.includes('--check')) {
  if (readFileSync(target, 'utf8') !== source) {
    console.error(`${target} has drifted from the model: run npm run codegen`);
    process.exit(1);
  }
} else {
  writeFileSync(target, source);
  console.log(`wrote ${target}`);
}

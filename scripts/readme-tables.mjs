#!/usr/bin/env node
// Regenerates README.md's configuration table (from FLAGS in src/config.ts) and its operation table (from the
// operation table in src/ecr/operations.ts), between their BEGIN/END markers. Reads the build in dist/.
//   npm run readme                               rewrite README.md
//   node scripts/readme-tables.mjs --check       exit 1 when README.md is out of date (spec/integration/readme.test.ts)
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { FLAGS } = require(path.join(root, 'dist/config.js'));
const { operationNames } = require(path.join(root, 'dist/aws/model.js'));
const { handlerFor } = require(path.join(root, 'dist/ecr/operations.js'));

const escapeCell = (text) => text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function configurationTable() {
  const rows = FLAGS.map((spec) => `| \`--${spec.flag}${spec.value ? ` ${spec.value}` : ''}\` | \`${spec.env}\` | ${escapeCell(spec.help)} |`);
  return ['| Flag | Environment variable | Meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

export function operationTable() {
  const names = operationNames();
  const served = names.filter((name) => handlerFor(name) !== undefined);
  const rows = names.map((name) => `| \`${name}\` | ${handlerFor(name) !== undefined ? 'yes' : 'not yet: answers `UnsupportedOperationException`'} |`);
  return [`${served.length} of the ${names.length} operations of the ECR API are served.`, '', '| Operation | Served |', '| --- | --- |', ...rows].join('\n');
}

const TABLES = { configuration: configurationTable, operations: operationTable };

function regenerate(readme) {
  let text = readme;
  for (const [name, render] of Object.entries(TABLES)) {
    const pattern = new RegExp(`(<!-- BEGIN generated:${name} [^>]*-->\\n)[\\s\\S]*?(<!-- END generated:${name} -->)`);
    if (!pattern.test(text)) throw new Error(`README.md has no BEGIN/END generated:${name} markers`);
    text = text.replace(pattern, (_match, begin, end) => `${begin}${render()}\n${end}`);
  }
  return text;
}

const readmePath = path.join(root, 'README.md');
const current = readFileSync(readmePath, 'utf8');
const wanted = regenerate(current);
if (process.argv.includes('--check')) {
  if (current !== wanted) {
    process.stderr.write('README.md tables are out of date: run `npm run readme`\n');
    process.exit(1);
  }
} else if (current !== wanted) {
  writeFileSync(readmePath, wanted);
  process.stdout.write('README.md tables regenerated\n');
}

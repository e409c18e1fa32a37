// Build step after tsc: the console's static files (src/console/web/) go beside the compiled console module,
// where console-assets.ts reads them. tsc copies only what it compiles.
import { cpSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../src/console/web/', import.meta.url));
const target = fileURLToPath(new URL('../dist/console/web/', import.meta.url));
rmSync(target, { recursive: true, force: true });
cpSync(source, target, { recursive: true });

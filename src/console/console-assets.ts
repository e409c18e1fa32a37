// The console's page and its static files: src/console/web/ (copied beside this module by the build) and the one
// library it uses, htm with Preact in a single 13 KB module from node_modules. No CDN and no bundler: the page works
// offline, as plain ES modules. Files are read once, on first request, and kept: together they are a few dozen KB.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

export interface ConsoleAsset {
  contentType: string;
  body: Buffer;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** The page's modules import the library from here. */
export const LIBRARY_PATH = 'vendor/htm-preact.js';

function loadAssets(directory: string): Map<string, ConsoleAsset> {
  const assets = new Map<string, ConsoleAsset>();
  for (const name of readdirSync(directory)) {
    const contentType = CONTENT_TYPES[path.extname(name)];
    if (contentType !== undefined) assets.set(name, { contentType, body: readFileSync(path.join(directory, name)) });
  }
  // htm exports its folders only through a `./` mapping that node no longer honours: resolve the package's preact
  // entry and read its sibling.
  const library = path.join(path.dirname(require.resolve('htm/preact')), 'standalone.module.js');
  assets.set(LIBRARY_PATH, { contentType: CONTENT_TYPES['.js']!, body: readFileSync(library) });
  return assets;
}

/**
 * The asset at a path below /_emulator/console/ ('' is the page), or undefined. Unknown paths under it that look
 * like a page (no extension) get the page too, so a reloaded deep link still opens the console.
 */
export function createConsoleAssets(directory = path.join(__dirname, 'web')): (relativePath: string) => ConsoleAsset | undefined {
  let assets: Map<string, ConsoleAsset> | undefined;
  return (relativePath) => {
    assets ??= loadAssets(directory);
    const name = relativePath.replace(/^\/+/, '');
    if (name === '' || path.extname(name) === '') return assets.get('index.html');
    return assets.get(name);
  };
}

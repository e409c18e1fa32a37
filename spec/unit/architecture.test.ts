// The folder rules of STYLE.md, checked over the import graph of src/: dependencies point inward
// (server → planes → core → store → kernel), the core knows no plane and no HTTP framework, the store knows no
// core, and the data plane never reaches into the control plane's protocol.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const SRC = path.join(__dirname, '../../src');

/** What each folder of src/ may import, besides itself. Files at the top of src/ (index, main, config...) are the shell. */
const CORE = ['images', 'automation', 'auth', 'lifecycle', 'scanning'];
const ALLOWED: Record<string, readonly string[]> = {
  kernel: [],
  store: ['kernel'],
  images: [...CORE, 'store', 'kernel'],
  automation: [...CORE, 'store', 'kernel'],
  auth: [...CORE, 'store', 'kernel'],
  lifecycle: [...CORE, 'store', 'kernel'],
  scanning: [...CORE, 'store', 'kernel'],
  aws: ['kernel'],
  ecr: ['aws', ...CORE, 'store', 'kernel'],
  iam: ['aws', ...CORE, 'store', 'kernel'],
  registry: [...CORE, 'store', 'kernel'],
  console: [...CORE, 'store', 'kernel'],
  server: ['aws', 'ecr', 'iam', 'registry', 'console', ...CORE, 'store', 'kernel', '(top)'],
  '(top)': ['aws', 'ecr', 'iam', 'registry', 'console', 'server', ...CORE, 'store', 'kernel', '(top)'],
};
/** The one module of aws/ the core may read: the model's generated types, which are data, not protocol. */
const MODEL_TYPES = 'aws/ecr-types.generated';
/** Packages that are a plane's business: only the composition root and the shell may use them. */
const FRAMEWORKS: Record<string, readonly string[]> = { express: ['server', '(top)'] };

interface Edge {
  from: string;
  to: string;
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const full = path.join(directory, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

function folderOf(relativePath: string): string {
  const parts = relativePath.split('/');
  return parts.length === 1 ? '(top)' : parts[0]!;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)[^'"`;]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((match) => match[1] ?? match[2] ?? match[3]!);
}

const edges: Edge[] = sourceFiles(SRC).flatMap((file) =>
  importsOf(file).map((specifier) => {
    const from = path.relative(SRC, file).replace(/\.ts$/, '');
    if (!specifier.startsWith('.')) return { from, to: `package:${specifier}` };
    return { from, to: path.relative(SRC, path.resolve(path.dirname(file), specifier)) };
  }),
);

/** The edges that break the rules, as `from → to` lines (empty when the house is in order). */
function violations(): string[] {
  return edges.flatMap(({ from, to }) => {
    const source = folderOf(from);
    if (to.startsWith('package:')) {
      const name = to.slice('package:'.length).split('/')[0]!;
      const allowedIn = FRAMEWORKS[name];
      return allowedIn === undefined || allowedIn.includes(source) ? [] : [`${from} → ${name}`];
    }
    if (to.startsWith('..')) return [`${from} → ${to} (outside src/)`];
    const target = folderOf(to);
    if (target === source) return [];
    if (to.replace(/\.json$/, '') === MODEL_TYPES && CORE.includes(source)) return [];
    const allowed = ALLOWED[source];
    if (allowed === undefined) return [`${from}: folder '${source}' has no rule in this test`];
    return allowed.includes(target) ? [] : [`${from} → ${to}`];
  });
}

describe('the import graph of src/', () => {
  it('finds the imports it checks', () => {
    expect(edges.length).toBeGreaterThan(200);
    expect(edges).toContainEqual({ from: 'server/admin-app', to: 'package:express' });
  });

  it('keeps express off the planes\' and health\'s path: it is loaded with the first admin or console request', () => {
    const eager = ['server/create-app', 'server/control-plane-routes', 'server/health-route'];
    expect(edges.filter(({ from, to }) => eager.includes(from) && to === 'package:express')).toEqual([]);
  });

  it('has no import against the folder rules', () => {
    expect(violations()).toEqual([]);
  });

  it('has a rule for every folder of src/', () => {
    const folders = new Set(edges.map(({ from }) => folderOf(from)));
    expect([...folders].filter((folder) => ALLOWED[folder] === undefined)).toEqual([]);
  });
});

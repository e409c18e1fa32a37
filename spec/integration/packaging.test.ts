// What publishing and the container rely on, checked without a docker engine: the Dockerfile's runtime settings
// start dist/main.js and its HEALTHCHECK passes; the npm package holds the built entries and exports them.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startCli } from '../helpers/cli-process';

const ROOT = path.resolve(__dirname, '../..');
const run = promisify(execFile);

interface Stage {
  from: string;
  instructions: { keyword: string; argument: string }[];
}

/** Dockerfile → stages of (keyword, argument), continuation lines joined and comments dropped. */
function dockerfileStages(text: string): Stage[] {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword = '', argument = ''] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'FROM') stages.push({ from: argument, instructions: [] });
    else stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), argument: argument.replace(/\s+/g, ' ') });
  }
  return stages;
}

function argumentsOf(stage: Stage, keyword: string): string[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword).map((instruction) => instruction.argument);
}

/** `ENV A=1 B=2` lines of a stage as one record. */
function environmentOf(stage: Stage): Record<string, string> {
  return Object.fromEntries(argumentsOf(stage, 'ENV').flatMap((argument) => argument.split(' ').map((pair) => pair.split('=', 2) as [string, string])));
}

describe('Dockerfile', () => {
  const stages = dockerfileStages(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
  const [build, runtime] = stages as [Stage, Stage];

  it('builds on node:20-bookworm-slim with the tools better-sqlite3 compiles with, then drops dev dependencies', () => {
    expect(stages.map((stage) => stage.from)).toEqual(['node:20-bookworm-slim AS build', 'node:20-bookworm-slim AS runtime']);
    const commands = argumentsOf(build, 'RUN').join(' && ');
    expect(commands).toMatch(/apt-get install .*python3 make g\+\+/);
    expect(commands).toContain('npm ci');
    expect(commands).toContain('npm run build && npm prune --omit=dev');
  });

  it('runs as a non-root user with a /data volume, on port 5000, with the data dir and host set for a container', () => {
    expect(argumentsOf(runtime, 'USER')).toEqual(['node']);
    expect(argumentsOf(runtime, 'VOLUME')).toEqual(['["/data"]']);
    expect(argumentsOf(runtime, 'EXPOSE')).toEqual(['5000']);
    expect(environmentOf(runtime)).toMatchObject({ ECR_EMULATOR_DATA_DIR: '/data', ECR_EMULATOR_HOST: '0.0.0.0', ECR_EMULATOR_PORT: '5000' });
    expect(argumentsOf(runtime, 'CMD')).toEqual(['["node", "dist/main.js"]']);
  });

  it('starts dist/main.js with the runtime environment, and its HEALTHCHECK passes, then fails once stopped', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'ecr-emulator-docker-'));
    // The image's settings, with a temporary dir for /data and a free port for 5000 (which may be taken here).
    const env = { ...environmentOf(runtime), ECR_EMULATOR_DATA_DIR: dataDir, ECR_EMULATOR_PORT: '0' };
    // startCli runs `node dist/main.js` from the repository root, as CMD does from /app.
    expect(JSON.parse(argumentsOf(runtime, 'CMD')[0]!)).toEqual(['node', 'dist/main.js']);
    const healthcheck = JSON.parse(/CMD (\[.*\])$/.exec(argumentsOf(runtime, 'HEALTHCHECK')[0]!)![1]!) as string[];
    expect(healthcheck.slice(0, 2)).toEqual(['node', '-e']);
    expect(healthcheck[2]).toContain('/_emulator/health');
    const cli = await startCli([], env);
    try {
      expect(cli.stdout()).toContain(`data dir ${dataDir})`);
      const port = new URL(cli.endpoint).port;
      expect(cli.endpoint).toBe(`http://127.0.0.1:${port}`);
      const healthEnv = { ...process.env, ECR_EMULATOR_PORT: port };
      await expect(run(process.execPath, healthcheck.slice(1), { env: healthEnv })).resolves.toBeDefined();
      expect(await cli.stop()).toBe(0);
      await expect(run(process.execPath, healthcheck.slice(1), { env: healthEnv })).rejects.toMatchObject({ code: 1 });
    } finally {
      await cli.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the npm package', () => {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    main: string;
    types: string;
    bin: Record<string, string>;
    exports: Record<string, { types: string; default: string } | string>;
  };

  it('points main, types, bin and every export at files the build made', () => {
    const targets = [manifest.main, manifest.types, ...Object.values(manifest.bin), ...Object.values(manifest.exports).flatMap((target) => (typeof target === 'string' ? [target] : [target.types, target.default]))];
    for (const target of targets) expect([target, existsSync(path.join(ROOT, target))]).toEqual([target, true]);
  });

  it('packs the built code, the ECR model and the README, and no sources, specs or source maps', async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT });
    const files = (JSON.parse(stdout) as [{ files: { path: string }[] }])[0].files.map((file) => file.path);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/main.js', 'dist/index.js', 'dist/index.d.ts', 'dist/in-process.js', 'dist/in-process.d.ts', 'dist/aws/model/ecr-2015-09-21.json']));
    expect(files.filter((file) => !file.startsWith('dist/') && !['package.json', 'README.md'].includes(file))).toEqual([]);
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
  });

  it("resolves 'ecr-emulator' and 'ecr-emulator/in-process' through its exports", async () => {
    const script = "const a = require('ecr-emulator'); const b = require('ecr-emulator/in-process'); console.log(typeof a.startEmulator, typeof b.mockEcrInProcess)";
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: ROOT });
    expect(stdout.trim()).toBe('function function');
  });

  it("loads 'ecr-emulator' without the SDK or aws-sdk-client-mock, which a production install does not have", async () => {
    const script = "require('ecr-emulator'); console.log(Object.keys(require.cache).filter((file) => /aws-sdk-client-mock|@aws-sdk/.test(file)).length)";
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: ROOT });
    expect(stdout.trim()).toBe('0');
  });
});

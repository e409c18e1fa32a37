// Runs the built command line (dist/main.js) as a child process, the way users run it: on a free port, in memory
// or on a data dir. Start waits for the ready line; stop sends SIGTERM and waits for the exit. Never builds.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const CLI_PATH = path.resolve(__dirname, '../../dist/main.js');

const READY_LINE = /^ECR emulator ready on (\S+) \(registry (\S+), (.+)\)$/m;
const DEFAULT_READY_TIMEOUT_MS = 20_000;
const DEFAULT_STOP_TIMEOUT_MS = 20_000;

export interface EmulatorProcess {
  /** Control-plane URL for `--endpoint-url`, e.g. http://127.0.0.1:41234 */
  endpoint: string;
  /** host:port advertised in repositoryUri and proxyEndpoint, e.g. localhost:41234 */
  registryHost: string;
  port: number;
  /** The data dir it runs on; undefined in memory. */
  dataDir: string | undefined;
  pid: number;
  /** Everything the process wrote to stderr so far (its log). */
  stderr(): string;
  /** Empties every account and region through the admin route. */
  reset(): Promise<void>;
  /** SIGTERM, then waits for the exit; resolves with the exit code. Idempotent. */
  stop(): Promise<number | null>;
}

export interface EmulatorProcessOptions {
  /** Run on this data dir (kept on stop). Without it and without `memory`, a fresh mkdtemp dir that stop removes. */
  dataDir?: string;
  memory?: boolean;
  /** More CLI flags, e.g. ['--account-id', '123456789012']. */
  args?: string[];
  readyTimeoutMs?: number;
}

/** A fresh temporary directory for a data dir; remove it with removeDataDir. */
export function makeDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'ecr-emulator-e2e-'));
}

export function removeDataDir(dataDir: string): void {
  rmSync(dataDir, { recursive: true, force: true });
}

export async function startEmulatorProcess(options: EmulatorProcessOptions = {}): Promise<EmulatorProcess> {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run \`npm run build\` before the e2e tests`);
  const isOwnDataDir = !options.memory && options.dataDir === undefined;
  const dataDir = options.memory ? undefined : (options.dataDir ?? makeDataDir());
  const storeArgs = dataDir === undefined ? ['--memory'] : ['--data-dir', dataDir];
  const child = spawn(process.execPath, [CLI_PATH, '--host', '127.0.0.1', '--port', '0', '--log-level', 'warn', ...storeArgs, ...(options.args ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: withoutEmulatorVariables(process.env),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const waitForReadyLine = new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the emulator printed no ready line within ${readyTimeoutMs} ms; stdout: ${stdout} stderr: ${stderr}`));
    }, readyTimeoutMs);
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      const match = READY_LINE.exec(stdout);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited with code ${code} before it was ready; stderr: ${stderr}`));
    });
  });
  const ready = await waitForReadyLine.catch((error: unknown) => {
    if (isOwnDataDir && dataDir !== undefined) removeDataDir(dataDir);
    throw error;
  });

  const endpoint = ready[1]!;
  let stopping: Promise<number | null> | undefined;
  return {
    endpoint,
    registryHost: ready[2]!,
    port: Number(new URL(endpoint).port),
    dataDir,
    pid: child.pid!,
    stderr: () => stderr,
    async reset() {
      const response = await fetch(`${endpoint}/_emulator/reset`, { method: 'POST' });
      if (response.status !== 200) throw new Error(`POST /_emulator/reset answered ${response.status}`);
    },
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), DEFAULT_STOP_TIMEOUT_MS);
        const code = await exited;
        clearTimeout(timer);
        if (isOwnDataDir && dataDir !== undefined) removeDataDir(dataDir);
        return code;
      })();
      return stopping;
    },
  };
}

/** The emulator must not pick up settings from the environment of whoever runs the tests. */
function withoutEmulatorVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('ECR_EMULATOR_')));
}

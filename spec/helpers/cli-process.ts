// Runs the built command line (dist/main.js) with exactly the arguments and environment a test gives it, for the
// CLI's own tests: exit codes, stderr, banner, signals. Never builds; `npm test` builds before jest runs.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const CLI_PATH = path.resolve(__dirname, '../../dist/main.js');
const READY_LINE = /^ECR emulator ready on (\S+) \(registry (\S+), (.+)\)$/m;
const WAIT_LIMIT_MS = 20_000;

export interface CliResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export interface CliProcess {
  endpoint: string;
  registryHost: string;
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stderr text matching `pattern` (now or later); rejects if the process exits first. */
  waitForStderr(pattern: RegExp): Promise<string>;
  /** The exit code; resolves when the process has exited. */
  exited: Promise<number | null>;
  /** SIGTERM and wait for the exit; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** The caller's environment without ECR_EMULATOR_*, plus `env`: settings of whoever runs the tests must not leak in. */
export function cliEnvironment(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('ECR_EMULATOR_')));
  return { ...inherited, ...env };
}

function spawnCli(args: readonly string[], env: Record<string, string>): ChildProcessWithoutNullStreams {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, [CLI_PATH, ...args], { env: cliEnvironment(env) });
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  return child;
}

/** Runs to the exit: for --help, --version and bad usage. */
export async function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  const child = spawnCli(args, env);
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: string) => (stdout += chunk));
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), WAIT_LIMIT_MS);
  const exitCode = await new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  clearTimeout(timer);
  return { exitCode, stdout, stderr };
}

/** Starts and waits for the ready line. */
export async function startCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliProcess> {
  const child = spawnCli(args, env);
  let stdout = '';
  let stderr = '';
  const stderrListeners = new Set<() => void>();
  child.stdout.on('data', (chunk: string) => (stdout += chunk));
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
    for (const listener of stderrListeners) listener();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no ready line within ${WAIT_LIMIT_MS} ms; stdout: ${stdout} stderr: ${stderr}`));
    }, WAIT_LIMIT_MS);
    child.stdout.on('data', () => {
      const match = READY_LINE.exec(stdout);
      if (match === null) return;
      clearTimeout(timer);
      resolve(match);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before the ready line; stderr: ${stderr}`));
    });
  });
  return {
    endpoint: ready[1]!,
    registryHost: ready[2]!,
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForStderr(pattern) {
      return new Promise<string>((resolve, reject) => {
        const check = (): void => {
          const match = pattern.exec(stderr);
          if (match === null) return;
          stderrListeners.delete(check);
          resolve(match[0]);
        };
        stderrListeners.add(check);
        check();
        void exited.then(() => {
          stderrListeners.delete(check);
          reject(new Error(`exited before stderr matched ${pattern}; stderr: ${stderr}`));
        });
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), WAIT_LIMIT_MS);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

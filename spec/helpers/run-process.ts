// Runs one client command to completion and collects its output. A command that is not installed is a test
// failure with a clear message (STYLE: a missing client fails, it is never skipped); so is a timeout.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

export interface ProcessResult {
  command: string;
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 120_000;

/** The absolute path of `command` (as given when it has a slash, else found on PATH); throws when missing. */
export function requireExecutable(command: string, searchPath = process.env.PATH ?? ''): string {
  const candidates = command.includes('/') ? [command] : searchPath.split(':').filter(Boolean).map((directory) => path.join(directory, command));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not this one
    }
  }
  throw new Error(`the client \`${command}\` is not installed (looked in ${command.includes('/') ? command : 'PATH'}); .ci/run installs it`);
}

export async function runProcess(command: string, args: readonly string[], options: RunOptions = {}): Promise<ProcessResult> {
  const executable = requireExecutable(command, options.env?.PATH ?? process.env.PATH);
  const child = spawn(executable, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  // A command that exits without reading its input (htpasswd) closes the pipe first: EPIPE is no failure of ours,
  // the exit code says how the command went.
  child.stdin.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') stderr += `stdin: ${error.message}\n`;
  });
  child.stdin.end(options.input ?? '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let isTimedOut = false;
  const timer = setTimeout(() => {
    isTimedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  }).finally(() => clearTimeout(timer));
  const commandLine = [command, ...args].join(' ');
  if (isTimedOut) throw new Error(`\`${commandLine}\` did not finish within ${timeoutMs} ms; stdout: ${stdout} stderr: ${stderr}`);
  return { command: commandLine, exitCode, stdout, stderr };
}

/** Runs and insists on exit code 0, with the output in the error otherwise. */
export async function runOrThrow(command: string, args: readonly string[], options: RunOptions = {}): Promise<ProcessResult> {
  const result = await runProcess(command, args, options);
  if (result.exitCode !== 0) {
    throw new Error(`\`${result.command}\` exited with ${result.exitCode}\n--- stdout\n${result.stdout.slice(-4000)}\n--- stderr\n${result.stderr.slice(-4000)}`);
  }
  return result;
}

// skopeo and podman as the e2e tests run them: every byte of their state (auth file, config, podman storage) under
// one work directory, never the home directory or system storage, and podman usable as root without systemd.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { runProcess, type ProcessResult } from './run-process';

const CLIENT_TIMEOUT_MS = 120_000;

export interface ContainerTools {
  /** The auth file both tools log in to and read (REGISTRY_AUTH_FILE, and --authfile where a test passes it). */
  authFile: string;
  environment: NodeJS.ProcessEnv;
  skopeo(args: readonly string[], input?: string): Promise<ProcessResult>;
  /** vfs storage, cgroupfs, no events: runs as root in a container without user namespaces or systemd. */
  podman(args: readonly string[], input?: string): Promise<ProcessResult>;
}

export function containerTools(work: string): ContainerTools {
  const home = path.join(work, 'home');
  mkdirSync(home, { recursive: true });
  const authFile = path.join(work, 'auth.json');
  const environment: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_RUNTIME_DIR: path.join(work, 'run'),
    REGISTRY_AUTH_FILE: authFile,
  };
  const run = (binary: string, args: readonly string[], input?: string): Promise<ProcessResult> =>
    runProcess(binary, args, { env: environment, timeoutMs: CLIENT_TIMEOUT_MS, ...(input !== undefined ? { input } : {}) });
  const podmanRoot = path.join(work, 'podman');
  const podmanGlobals = [
    '--root', path.join(podmanRoot, 'root'),
    '--runroot', path.join(podmanRoot, 'run'),
    '--tmpdir', path.join(podmanRoot, 'tmp'),
    '--storage-driver', 'vfs',
    '--cgroup-manager', 'cgroupfs',
    '--events-backend', 'none',
  ];
  return {
    authFile,
    environment,
    skopeo: (args, input) => run('skopeo', args, input),
    podman: (args, input) => run('podman', [...podmanGlobals, ...args], input),
  };
}

/** The result, or an error carrying the command and the tail of its stderr. */
export function expectExitZero(result: ProcessResult): ProcessResult {
  if (result.exitCode !== 0) throw new Error(`\`${result.command}\` exited with ${result.exitCode}\n--- stderr\n${result.stderr.slice(-4000)}`);
  return result;
}

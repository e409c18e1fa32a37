// A private dockerd for the docker e2e tests, and the docker CLI against it: socket, data, exec root, client config
// and home under one temp dir, nothing in /var/lib/docker or ~/.docker. The daemon runs in its own mount namespace
// with a bind-mounted /etc/hosts, so registry names like <account>.dkr.ecr.<region>.localhost resolve to 127.0.0.1
// without touching the machine's hosts file; the CLI joins that namespace, since `docker manifest` dials itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { requireExecutable, runProcess, type ProcessResult } from './run-process';

const DEFAULT_READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 20_000;
const CLIENT_TIMEOUT_MS = 90_000;
const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface DockerDaemon {
  /** The temp dir holding everything; removed by stop. */
  work: string;
  /** DOCKER_CONFIG: the client's config.json (and so its stored credentials) lives here. */
  configDirectory: string;
  /** The environment the CLI runs with: DOCKER_HOST and DOCKER_CONFIG of this daemon, the legacy builder. */
  environment: NodeJS.ProcessEnv;
  /** `docker <args>` in the daemon's mount namespace. */
  docker(args: readonly string[], input?: string): Promise<ProcessResult>;
  /** A command line as a user pastes it into a shell (`sh -c`), with the same environment and namespace. */
  shell(commandLine: string, input?: string): Promise<ProcessResult>;
  /** The daemon's log so far, for failure messages. */
  log(): string;
  /** SIGTERM, wait for the exit (SIGKILL after a timeout), remove the temp dir. Idempotent. */
  stop(): Promise<void>;
}

export interface DockerDaemonOptions {
  /** Names that resolve to 127.0.0.1 for the daemon and the CLI, besides localhost. */
  hostNames: readonly string[];
  readyTimeoutMs?: number;
}

/**
 * Starts dockerd and waits until `docker info` answers. Throws, with the daemon's log, when a tool is missing,
 * the daemon exits or it is not ready in time: a docker suite fails then, it never skips.
 */
export async function startDockerDaemon(options: DockerDaemonOptions): Promise<DockerDaemon> {
  const searchPath = `${process.env.PATH ?? ''}:${SYSTEM_PATH}`;
  const dockerd = requireExecutable('dockerd', searchPath);
  const dockerCli = requireExecutable('docker', searchPath);
  const unshare = requireExecutable('unshare', searchPath);
  const nsenter = requireExecutable('nsenter', searchPath);

  const work = mkdtempSync(path.join(tmpdir(), 'ecr-docker-'));
  const configDirectory = path.join(work, 'config');
  const home = path.join(work, 'home');
  for (const directory of [configDirectory, home]) mkdirSync(directory, { recursive: true });
  const hostsFile = path.join(work, 'hosts');
  writeFileSync(hostsFile, ['127.0.0.1 localhost', ...options.hostNames.map((name) => `127.0.0.1 ${name}`), '::1 localhost ip6-localhost', ''].join('\n'));
  const socket = path.join(work, 'docker.sock');
  const daemonArgs = [
    '--host', `unix://${socket}`,
    '--data-root', path.join(work, 'data'),
    '--exec-root', path.join(work, 'exec'),
    '--pidfile', path.join(work, 'docker.pid'),
    '--iptables=false', '--ip6tables=false', '--bridge=none',
    '--storage-driver', 'vfs',
    '--exec-opt', 'native.cgroupdriver=cgroupfs',
  ];
  // unshare and sh both exec, so the child's pid is dockerd's; its private mount namespace keeps the bind to itself.
  const child = spawn(unshare, ['--mount', 'sh', '-c', 'mount --bind "$0" /etc/hosts && exec "$@"', hostsFile, dockerd, ...daemonArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...withoutDockerVariables(process.env), PATH: searchPath },
  });
  let log = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    log += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    log += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });

  const environment: NodeJS.ProcessEnv = {
    ...withoutDockerVariables(process.env),
    PATH: searchPath,
    HOME: home,
    DOCKER_HOST: `unix://${socket}`,
    DOCKER_CONFIG: configDirectory,
    // FROM scratch + COPY needs nothing BuildKit offers, and the legacy builder needs no buildx plugin.
    DOCKER_BUILDKIT: '0',
    // `docker manifest` on CLIs before 20.10.
    DOCKER_CLI_EXPERIMENTAL: 'enabled',
  };
  const inNamespace = (command: readonly string[], input?: string): Promise<ProcessResult> =>
    runProcess(nsenter, ['--target', String(child.pid), '--mount', '--', ...command], {
      env: environment,
      cwd: work,
      timeoutMs: CLIENT_TIMEOUT_MS,
      ...(input !== undefined ? { input } : {}),
    });

  let stopping: Promise<void> | undefined;
  const daemon: DockerDaemon = {
    work,
    configDirectory,
    environment,
    docker: (args, input) => inNamespace([dockerCli, ...args], input),
    shell: (commandLine, input) => inNamespace(['sh', '-c', commandLine], input),
    log: () => log,
    stop() {
      stopping ??= (async () => {
        if (!hasExited) child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
        rmSync(work, { recursive: true, force: true });
      })();
      return stopping;
    },
  };

  try {
    await waitUntilReady(daemon, child, () => hasExited, options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
  } catch (error) {
    await daemon.stop();
    throw error;
  }
  return daemon;
}

async function waitUntilReady(daemon: DockerDaemon, child: ChildProcess, hasExited: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const socket = daemon.environment.DOCKER_HOST!.slice('unix://'.length);
  let lastAnswer = '';
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error(`dockerd exited before it was ready (exit ${child.exitCode ?? child.signalCode}); .ci/run installs docker.io, and dockerd must run as root\n--- dockerd log\n${daemon.log().slice(-4000)}`);
    if (existsSync(socket)) {
      const info = await daemon.docker(['info', '--format', '{{.ServerVersion}}']);
      if (info.exitCode === 0) return;
      lastAnswer = info.stderr;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`dockerd did not answer \`docker info\` within ${timeoutMs} ms; last answer: ${lastAnswer}\n--- dockerd log\n${daemon.log().slice(-4000)}`);
}

/** The daemon and CLI must not pick up a context, TLS settings or a host from whoever runs the tests. */
function withoutDockerVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('DOCKER_')));
}

/** The registry credentials the CLI stored for `registry` (config.json `auths`), decoded; undefined when none. */
export function storedCredentials(daemon: DockerDaemon, registry: string): string | undefined {
  const configFile = path.join(daemon.configDirectory, 'config.json');
  if (!existsSync(configFile)) return undefined;
  const { auths } = JSON.parse(readFileSync(configFile, 'utf8')) as { auths?: Record<string, { auth?: string }> };
  const auth = auths?.[registry]?.auth;
  return auth === undefined ? undefined : Buffer.from(auth, 'base64').toString('utf8');
}

/** Stores `AWS:<password>` for `registry` the way `docker login` does, e.g. to plant a token that has expired. */
export function storeCredentials(daemon: DockerDaemon, registry: string, password: string): void {
  const configFile = path.join(daemon.configDirectory, 'config.json');
  const config = existsSync(configFile) ? (JSON.parse(readFileSync(configFile, 'utf8')) as { auths?: Record<string, { auth: string }> }) : {};
  config.auths = { ...config.auths, [registry]: { auth: Buffer.from(`AWS:${password}`).toString('base64') } };
  writeFileSync(configFile, JSON.stringify(config, null, '\t'));
}

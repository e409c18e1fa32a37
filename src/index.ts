// The library entry: startEmulator() runs the whole emulator in this process and returns its addresses and
// controls. Several instances in one process are independent (each has its own storage and server).
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { defaultConfig, type EmulatorConfig } from './config';
import { systemClock, type Clock } from './kernel/clock';
import type { UploadService } from './images/upload-service';
import { readIamFile, loadIamFile, type IamFileContents } from './iam/iam-file';
import { createUpstreamSecrets, readSecretsFile } from './automation/upstream-secrets';
import { createApp, createIdentityServices, createImageCore, type ImageCore } from './server/create-app';
import { startPeriodicTask, type PeriodicTask } from './server/periodic-task';
import { runLifecyclePolicies } from './lifecycle/lifecycle-runner';
import { createGracefulShutdown } from './server/graceful-shutdown';
import { createLogger, type Logger } from './server/logger';
import { openStorage } from './server/storage';
import { UPLOAD_SWEEP_INTERVAL_MS, type UploadSweep } from './store/upload-sweep';

export type { EmulatorConfig } from './config';

export interface StartOptions extends Partial<EmulatorConfig> {
  /** Where log lines go; default stderr. */
  logWriter?: (line: string) => void;
  /** Time as the emulator sees it (token expiry, push times, idle upload sessions); default the system clock. For tests. */
  clock?: Clock;
}

export interface RunningEmulator {
  /** Control-plane URL for `--endpoint-url` and SDK `endpoint`, e.g. http://127.0.0.1:5000 */
  endpoint: string;
  /** host:port for docker, podman and skopeo, e.g. localhost:5000 */
  registryHost: string;
  port: number;
  config: EmulatorConfig;
  /** Empties every account and region, once queued replication has run. */
  reset(): Promise<void>;
  /**
   * Resolves once the work ECR does on its own after a request (queued replication, the deletion of blobs no
   * repository links any more) and the recovery after the start have run. For tests.
   */
  idle(): Promise<void>;
  /** Finishes in-flight requests, closes the server and the store. */
  stop(): Promise<void>;
}

function logUploadSweep(logger: Logger, message: string, sweep: UploadSweep): void {
  if (sweep.abandonedSessions + sweep.sessionsWithoutBytes + sweep.bytesWithoutSession > 0) logger.log('info', message, { ...sweep });
}

/** Sweeps upload sessions every UPLOAD_SWEEP_INTERVAL_MS. */
function sweepUploadsHourly(uploads: UploadService, logger: Logger): PeriodicTask {
  return startPeriodicTask(
    UPLOAD_SWEEP_INTERVAL_MS,
    async () => logUploadSweep(logger, 'upload sessions swept', await uploads.sweep()),
    (error) => logger.log('error', 'upload sweep failed', { error: String((error as Error).stack ?? error) }),
  );
}

/**
 * What a previous process left, finished off the start's path once the server listens: upload sessions it
 * abandoned, blobs whose last link it removed without deleting them, blobs it committed and never linked (all
 * written before `startedAt`). Each step is safe alongside requests (the upload and blob locks), so nothing waits.
 */
async function recoverAfterStart(core: ImageCore, logger: Logger, startedAt: Date): Promise<void> {
  logUploadSweep(logger, 'upload sessions swept at start', await core.uploads.sweep());
  const reclaimed = await core.reclaimer.reclaim();
  if (reclaimed > 0) logger.log('info', 'blobs a previous run unlinked removed', { count: reclaimed });
  const unlinked = await core.reclaimer.sweepUnlinked(startedAt);
  if (unlinked > 0) logger.log('info', 'blobs no repository links removed', { count: unlinked });
}

/** Applies every lifecycle policy each `intervalSeconds`, as ECR does within a day; off without the flag. */
function runLifecyclePoliciesPeriodically(core: ImageCore, clock: Clock, intervalSeconds: number | undefined, logger: Logger): PeriodicTask {
  if (intervalSeconds === undefined) return { stop: async () => undefined };
  return startPeriodicTask(
    intervalSeconds * 1000,
    async () => {
      const results = await runLifecyclePolicies({ repositories: core.repositories, images: core.images, clock });
      const expired = results.reduce((count, result) => count + result.expired.length, 0);
      const archived = results.reduce((count, result) => count + result.archived.length, 0);
      if (expired + archived > 0) logger.log('info', 'lifecycle policies applied', { repositories: results.length, expired, archived });
    },
    (error) => logger.log('error', 'lifecycle run failed', { error: String((error as Error).stack ?? error) }),
  );
}

export async function startEmulator(options: StartOptions = {}): Promise<RunningEmulator> {
  // Wall time, as file times are: a blob written before it and linked by none is a previous run's leftover.
  const startedAt = new Date();
  const { logWriter, clock, ...overrides } = options;
  const config: EmulatorConfig = { ...defaultConfig(), logLevel: 'warn', ...overrides };
  if (config.memory) config.dataDir = undefined;
  if (options.memory === undefined && options.dataDir === undefined) {
    // A library caller who names no store gets memory: tests should not litter the working directory.
    config.memory = true;
    config.dataDir = undefined;
  }
  // Upstream secrets are read before the store opens: a bad file fails the start with one line, leaving nothing open.
  const secrets = createUpstreamSecrets(config.secretsFile === undefined ? new Map() : readSecretsFile(config.secretsFile));
  const logger = createLogger({ level: config.logLevel, format: config.logFormat, ...(logWriter ? { write: logWriter } : {}) });
  const storage = openStorage(config.dataDir, {
    blobCacheBytes: config.blobCacheBytes,
    // Said before it starts: on a large data dir the first start of a new version waits for it.
    onSchemaUpgrade: (fromStep, toStep) => logger.log('info', 'upgrading the metadata schema of the data dir, once', { dataDir: config.dataDir, fromStep, toStep }),
  });
  const core = createImageCore(storage, clock ?? systemClock, {
    upstreams: config.upstreams,
    secrets,
    onReclaimError: (error) => logger.log('error', 'blob reclaim failed', { error: String((error as Error).stack ?? error) }),
  });
  const identity = createIdentityServices({ config, storage, logger, ...(clock !== undefined ? { clock } : {}) }, core);
  // One transaction for the whole file: one commit to wait for at start rather than one per record.
  const loadIdentities = (contents: IamFileContents): void => storage.db.transaction(() => loadIamFile(contents, identity.directory))();
  // Declared identities are read before anything listens: a bad file fails the start with one line.
  let identities: IamFileContents | undefined;
  try {
    identities = config.iamFile === undefined ? undefined : readIamFile(config.iamFile);
    if (identities !== undefined) loadIdentities(identities);
  } catch (error) {
    storage.close();
    throw error;
  }
  // A reset empties every account, then brings the declared identities back: a CI job's keys survive it.
  const reset = async (): Promise<void> => {
    // A replication still under way would write into the emptied store.
    await core.replication.idle();
    await storage.reset();
    identity.afterReset();
    if (identities !== undefined) loadIdentities(identities);
    // The file's secrets come back and the ones PUT since are gone, as the declared identities do.
    secrets.reset();
  };
  const resumedReplications = core.replication.resume();
  if (resumedReplications > 0) logger.log('info', 'replications a previous run left queued resumed', { count: resumedReplications });
  const isTls = config.tlsCert !== undefined && config.tlsKey !== undefined;
  let port = config.port;
  const advertisedHost = (): string => config.hostname ?? `localhost:${port}`;
  const app = createApp({ config, storage, logger, advertisedHost, scheme: () => (isTls ? 'https' : 'http'), core, identity, reset, ...(clock !== undefined ? { clock } : {}) });
  let server: http.Server | https.Server;
  try {
    server = isTls ? https.createServer({ cert: readFileSync(config.tlsCert!), key: readFileSync(config.tlsKey!) }, app) : http.createServer(app);
  } catch (error) {
    storage.close();
    throw error;
  }
  const shutdown = createGracefulShutdown(server);
  // Blob uploads can be long; the defaults would cut slow clients off.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: unknown) => {
    // A taken port must not leave the store open behind a failed start.
    storage.close();
    throw error;
  });
  port = (server.address() as AddressInfo).port;
  const recovery = recoverAfterStart(core, logger, startedAt).catch((error: unknown) =>
    logger.log('error', 'recovery after the start failed', { error: String((error as Error).stack ?? error) }),
  );
  const uploadSweeps = sweepUploadsHourly(core.uploads, logger);
  const lifecycleRuns = runLifecyclePoliciesPeriodically(core, clock ?? systemClock, config.lifecycleIntervalSeconds, logger);
  const scheme = isTls ? 'https' : 'http';
  const endpointHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  let stopped: Promise<void> | undefined;

  return {
    endpoint: `${scheme}://${endpointHost.includes(':') ? `[${endpointHost}]` : endpointHost}:${port}`,
    registryHost: advertisedHost(),
    port,
    config: { ...config, port },
    reset,
    async idle() {
      await recovery;
      await core.replication.idle();
      await core.reclaimer.idle();
    },
    stop() {
      // Replication queued by the last requests finishes before the store closes; what a crash interrupts is redone at start.
      stopped ??= Promise.all([uploadSweeps.stop(), lifecycleRuns.stop(), shutdown.close()])
        .then(() => core.replication.idle())
        .then(() => core.reclaimer.close())
        .then(() => recovery)
        .then(() => storage.close());
      return stopped;
    },
  };
}

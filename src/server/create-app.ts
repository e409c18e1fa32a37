// The composition root: builds services from storage and configuration, and serves both planes, health and (through
// admin-app.ts, loaded on first use) the emulator's own routes and console on one request listener. The only module
// that constructs stores and services.
import { randomUUID } from 'node:crypto';
import type { RequestListener } from 'node:http';
import { createInputValidator } from '../aws/input-validator';
import { createLayerDownloadUrls } from '../auth/layer-download-url';
import { createRegistryTokens } from '../auth/registry-token';
import type { EmulatorConfig } from '../config';
import { createEcrEndpoint, type EcrEndpoint } from '../ecr/ecr-endpoint';
import type { EcrServices } from '../ecr/ecr-context';
import { createReplicator, replicateOnPush } from '../automation/replication';
import { createReplicationQueue, type ReplicationQueue, type Scheduler } from '../automation/replication-queue';
import { createPullThroughCache, type PullThroughCache } from '../automation/pull-through-cache';
import { createUpstreamClient } from '../automation/upstream-client';
import { createLocalEcrUpstreamClient } from '../automation/local-ecr-upstream';
import { createUpstreamSecrets, type UpstreamSecrets } from '../automation/upstream-secrets';
import { systemClock, type Clock } from '../kernel/clock';
import { createAccountSettings, type AccountSettings } from '../images/account-settings';
import { createBlobService, type BlobService } from '../images/blob-service';
import { createImageService, type ImageService } from '../images/image-service';
import type { PushObserver } from '../images/push-observers';
import { createKeyedLock } from '../kernel/keyed-lock';
import { lazy } from '../kernel/lazy';
import { createBlobReclaimer, type BlobReclaimer } from '../store/blob-reclaimer';
import { createRegistryAddresses } from '../kernel/registry-address';
import { registryDocuments, type RegistryDocuments } from '../images/registry-documents';
import { createRepositoryService, type RepositoryService } from '../images/repository-service';
import { createUploadService, type UploadService } from '../images/upload-service';
import { createRegistryRouter, isRegistryPath } from '../registry/registry-router';
import type { ImageScanDependencies } from '../scanning/image-scans';
import { createScanOnPushObserver } from '../scanning/scan-on-push';
import { createScanFindingsSource, SCAN_FINDINGS_FILE_VARIABLE } from '../scanning/supplied-findings';
import { packageVersion } from '../version';
import type { AccessPolicy } from '../auth/access';
import type { Authenticator } from '../auth/authentication';
import { createDecisionLog, type DecisionLog } from '../auth/decision-log';
import { createAccessDecider } from '../iam/access-decider';
import { createAuthenticator } from '../iam/credentials';
import { createIamDirectory, type IamDirectory } from '../iam/iam-directory';
import { createIamEndpoint, type IamEndpoint } from '../iam/iam-endpoint';
import { createSessions, type Sessions } from '../iam/sessions';
import { controlPlaneRoutes, isControlPlanePath } from './control-plane-routes';
import { healthRoute } from './health-route';
import type { Logger } from './logger';
import type { Storage } from './storage';

export interface AppOptions {
  config: EmulatorConfig;
  storage: Storage;
  logger: Logger;
  /** host:port the registry is reached at; known only once the server listens. */
  advertisedHost: () => string;
  scheme: () => 'http' | 'https';
  clock?: Clock;
  /** The image core to serve, when the caller needs it too (index.ts sweeps uploads with it); default a new one. */
  core?: ImageCore;
  /** IAM, STS and the authenticator, when the caller needs them too (index.ts loads --iam-file); default new ones. */
  identity?: IdentityServices;
  /** What `POST /_emulator/reset` does; default emptying the storage. */
  reset?: () => Promise<void>;
}

export function createEcrServices(options: AppOptions, core: ImageCore): EcrServices {
  return {
    ...core,
    layerDownloads: createLayerDownloadUrls(options.storage.tokenSecret),
    tokens: createRegistryTokens(options.storage.tokenSecret),
    addresses: createRegistryAddresses({ advertisedHost: options.advertisedHost, scheme: options.scheme }),
    clock: options.clock ?? systemClock,
    tokenTtlSeconds: options.config.tokenTtlSeconds,
  };
}

/** The shared image core over the storage: both planes' image, blob and upload operations go through these. */
export interface ImageCore {
  repositories: RepositoryService;
  /** The registry's configuration documents, typed by kind. */
  documents: RegistryDocuments;
  images: ImageService;
  /** What a scan reads and writes, with the source of supplied findings. */
  scans: ImageScanDependencies;
  blobs: BlobService;
  uploads: UploadService;
  accountSettings: AccountSettings;
  /** Fills repositories pull-through cache rules cover from their upstream registries, before a pull. */
  pullThroughCache: PullThroughCache;
  /** The Secrets Manager secrets pull-through cache rules name (credentialArn). */
  secrets: UpstreamSecrets;
  /** Pushes waiting to be replicated: `resume()` at start redoes what a previous process left, `idle()` awaits the rest. */
  replication: ReplicationQueue;
  /** Deletes blobs once no repository links them: after each removal of links, and in passes index.ts starts. */
  reclaimer: BlobReclaimer;
  /** The store's commit barrier (Storage.durable): what an answer that reports a write waits for. */
  durable: () => Promise<void> | undefined;
}

export interface ImageCoreOptions {
  /**
   * The findings file a scan reads, asked at scan time so a test can name one just before a push. Default: the
   * ECR_EMULATOR_SCAN_FINDINGS environment variable, read here, the one module that reads configuration for the core.
   */
  scanFindingsFile?: () => string | undefined;
  /** Upstream registry host → the base URL it is reached at instead (`--upstream`). */
  upstreams?: Readonly<Record<string, string>>;
  /** The secrets rules' credentialArn names (index.ts fills them from --secrets-file); default none. */
  secrets?: UpstreamSecrets;
  /** When queued replication runs; default on setImmediate after the push. Tests hold it to observe IN_PROGRESS. */
  replicationScheduler?: Scheduler;
  /** Where a blob the reclaimer failed to delete is reported (it is tried again on the next pass); default nowhere. */
  onReclaimError?: (error: unknown) => void;
}

export function createImageCore(storage: Storage, clock: Clock, options: ImageCoreOptions = {}): ImageCore {
  // One lock table per process: writes to a repository are serialized whichever plane makes them.
  const locks = createKeyedLock();
  const { images: storedImages, links, uploads, blobs: blobStore } = storage;
  const documents = registryDocuments(storage.documents);
  const reclaimer = createBlobReclaimer({ links, blobs: blobStore, locks, onError: options.onReclaimError ?? (() => undefined) });
  const afterLinksRemoved = (): void => reclaimer.reclaimSoon();
  const repositories = createRepositoryService(storage.repositories, { afterLinksRemoved });
  // What happens after an image lands, whichever plane pushed it; replication pushes through the same service.
  const observers: PushObserver[] = [];
  const images = createImageService({ repositories, images: storedImages, links, locks, clock, observers });
  const blobs = createBlobService({ repositories, links, blobs: blobStore, locks, clock, afterLinksRemoved });
  const replication = createReplicationQueue({
    documents,
    run: createReplicator({ repositories, documents, storedImages, images, blobs, clock }),
    ...(options.replicationScheduler !== undefined ? { schedule: options.replicationScheduler } : {}),
  });
  observers.push(replicateOnPush(documents, replication));
  const scanFindingsFile = options.scanFindingsFile ?? (() => process.env[SCAN_FINDINGS_FILE_VARIABLE]);
  const scans: ImageScanDependencies = { documents, clock, findings: createScanFindingsSource({ documents, fixturePath: scanFindingsFile }) };
  observers.push(createScanOnPushObserver({ scans, repositories }));
  const uploadService = createUploadService({ repositories, uploads, links, blobs: blobStore, locks, clock, newId: randomUUID });
  const secrets = options.secrets ?? createUpstreamSecrets();
  const pullThroughCache = createPullThroughCache({
    documents,
    repositories,
    images,
    uploads: uploadService,
    links,
    // An ECR private upstream of this emulator's own accounts is read from the store, every other one over HTTP.
    client: createLocalEcrUpstreamClient({ images, blobs, remote: createUpstreamClient() }),
    clock,
    upstreams: options.upstreams ?? {},
    // Secrets belong to an account and Region, and the ARN names both: it alone finds the secret.
    credentialsFor: (_scope, credentialArn) => secrets.get(credentialArn),
  });
  return {
    accountSettings: createAccountSettings(documents),
    documents,
    repositories,
    images,
    scans,
    blobs,
    uploads: uploadService,
    pullThroughCache,
    secrets,
    replication,
    reclaimer,
    durable: storage.durable,
  };
}

/** Who may call and what they may do: IAM's users, roles and keys, STS's sessions, the authenticator both control
 * endpoints share, and the access policy both planes ask, with its decision log. */
export interface IdentityServices {
  directory: IamDirectory;
  sessions: Sessions;
  authenticator: Authenticator;
  access: AccessPolicy;
  decisions: DecisionLog;
  /** IAM and STS over the query protocol. */
  endpoint: IamEndpoint;
  /** Forgets what was derived from the store and the decisions made: call it after the storage is reset. */
  afterReset(): void;
}

export function createIdentityServices(options: Pick<AppOptions, 'config' | 'storage' | 'clock'> & { logger?: Logger }, core: ImageCore): IdentityServices {
  const clock = options.clock ?? systemClock;
  const directory = createIamDirectory({ documents: options.storage.documents, clock });
  const sessions = createSessions(options.storage.documents);
  const defaults = { accountId: options.config.accountId, region: options.config.region };
  const authenticator = createAuthenticator({ directory, sessions, clock, defaults });
  const decisions = createDecisionLog();
  const access = createAccessDecider({
    mode: options.config.iamMode,
    directory,
    sessions,
    repositories: core.repositories,
    documents: core.documents,
    clock,
    decisions,
    onRefusal: (refusal, isSoft) => options.logger?.log(isSoft ? 'warn' : 'info', isSoft ? 'access allowed that --iam enforce would deny' : 'access denied', { ...refusal }),
  });
  const afterReset = () => {
    access.forget();
    decisions.clear();
  };
  return { directory, sessions, authenticator, access, decisions, endpoint: createIamEndpoint({ authenticator, directory, sessions, clock, access, durable: options.storage.durable }), afterReset };
}

/**
 * The ECR control plane without HTTP: what the server mounts and what the in-process SDK mock calls. Pass the
 * core the data plane uses when there is one, so both planes share images and the repository locks, and the
 * identity services IAM and STS use, so a key IAM issued is known to ECR.
 */
export function createControlPlane(
  options: AppOptions,
  core = createImageCore(options.storage, options.clock ?? systemClock),
  identity = createIdentityServices(options, core),
): EcrEndpoint {
  return createEcrEndpoint({ services: createEcrServices(options, core), validator: createInputValidator(), authenticator: identity.authenticator, access: identity.access, durable: options.storage.durable });
}

export function createApp(options: AppOptions): RequestListener {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  const core = options.core ?? createImageCore(options.storage, clock);
  const identity = options.identity ?? createIdentityServices(options, core);
  const ecr = createControlPlane(options, core, identity);
  const registry = createRegistryRouter({
    services: { ...core, tokens: createRegistryTokens(options.storage.tokenSecret), clock, access: identity.access },
    scheme: options.scheme,
    logger,
  });
  const controlPlane = controlPlaneRoutes({ ecr, iam: identity.endpoint, logger });
  const health = healthRoute({ version: packageVersion, storeKind: options.storage.kind, startedAt: new Date() });
  const adminApp = lazy(() => (require('./admin-app') as typeof import('./admin-app')).createAdminApp(options, core, identity, clock));
  // The two planes are served on node's request and response, before express: the data plane reads bodies itself,
  // as streams, and the control plane lives at `/` alone, which no admin route serves. Express's router would only
  // add its cost to every API call and every pull. It serves the emulator's own routes and the console, and is
  // loaded by the first of them: health, what a start is waited on with, answers without it.
  return (request, response) => {
    if (isRegistryPath(request.url)) void registry(request, response);
    else if (isControlPlanePath(request.url)) controlPlane(request, response, () => adminApp()(request, response));
    else if (!health(request, response)) adminApp()(request, response);
  };
}

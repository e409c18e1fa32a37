// The console's JSON API under /_emulator/api/: a route table over the views and actions, with its own index
// (GET /_emulator/api lists every route and its parameters). Framework-free: server/console-routes.ts adapts it to
// HTTP. Answers are JSON; errors are `{"message": "..."}` with the status of console-error.ts or of the core's kind.
import type { AccessPolicy, IamMode } from '../auth/access';
import type { RegistryTokens } from '../auth/registry-token';
import type { BlobService } from '../images/blob-service';
import { DomainError, type DomainErrorKind } from '../images/domain-error';
import type { ImageService } from '../images/image-service';
import type { RegistryDocuments } from '../images/registry-documents';
import type { RepositoryService } from '../images/repository-service';
import type { Clock } from '../kernel/clock';
import type { RegistryAddresses } from '../kernel/registry-address';
import type { Scope } from '../kernel/scope';
import type { ImageScanDependencies } from '../scanning/image-scans';
import { deleteImage, deleteTag, runLifecycle, startScan } from './console-actions';
import { consoleCaller, type ConsoleCaller } from './console-caller';
import { ConsoleError } from './console-error';
import { ConsoleParams } from './console-params';
import { imagesView, imageView } from './image-views';
import { lifecyclePreviewView, registriesView, repositoriesView, repositoryView } from './repository-views';

export interface ConsoleApiDependencies {
  repositories: RepositoryService;
  images: ImageService;
  blobs: BlobService;
  documents: RegistryDocuments;
  scans: ImageScanDependencies;
  addresses: RegistryAddresses;
  access: AccessPolicy;
  tokens: RegistryTokens;
  clock: Clock;
  iamMode: IamMode;
  /** The registry of unsigned requests (--account-id, --region): the one the console opens on. */
  defaults: Scope;
}

export interface ConsoleApiRequest {
  method: string;
  /** The path below /_emulator/api: '' for the index, '/repositories', ... */
  path: string;
  query: Record<string, unknown>;
  /** The parsed JSON body of a POST; undefined for a GET. */
  body: unknown;
  contentType?: string;
  authorization?: string;
  sourceIp?: string;
  isSecureTransport: boolean;
}

export interface ConsoleApiResponse {
  status: number;
  body: unknown;
}

interface Route {
  method: 'GET' | 'POST';
  path: string;
  description: string;
  /** Each parameter's name, then what it takes: the index shows them, and a request naming another is refused. */
  parameters: string[];
  handle(dependencies: ConsoleApiDependencies, caller: ConsoleCaller, params: ConsoleParams): unknown;
}

const SCOPE_PARAMETERS = ['account (12 digits)', 'region'];

const ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: '/session',
    description: 'Who the console acts as: the account root of the registry viewed, or the principal of the Authorization token.',
    parameters: [],
    handle: (dependencies, caller) => ({
      principal: caller.principal?.arn ?? null,
      isRootView: caller.principal === undefined,
      iamMode: dependencies.iamMode,
      defaultRegistry: dependencies.defaults,
    }),
  },
  {
    method: 'GET',
    path: '/registries',
    description: 'Every account and Region that holds a repository, and the default registry.',
    parameters: [],
    handle: (dependencies) => registriesView(dependencies.repositories, dependencies.defaults),
  },
  {
    method: 'GET',
    path: '/repositories',
    description: 'A page of repositories by name, with image count, total size and last push; `next` continues it.',
    parameters: [...SCOPE_PARAMETERS, 'search (part of the name)', 'limit (1-1000, default 50)', 'after (a repository name: the previous page\'s next)'],
    handle: (dependencies, caller, params) => {
      const search = params.search();
      const after = params.optional('after');
      return repositoriesView(dependencies, caller, params.scope(), { limit: params.limit(), ...(search !== undefined ? { search } : {}), ...(after !== undefined ? { after } : {}) });
    },
  },
  {
    method: 'GET',
    path: '/repository',
    description: 'One repository: URI, settings, counts, and its repository and lifecycle policies.',
    parameters: [...SCOPE_PARAMETERS, 'name'],
    handle: (dependencies, caller, params) => repositoryView(dependencies, caller, params.scope(), params.repository('name')),
  },
  {
    method: 'GET',
    path: '/images',
    description: 'A page of a repository\'s images, with tags, size, push and pull times, platforms and scan counts; `next` continues it.',
    parameters: [...SCOPE_PARAMETERS, 'repository', 'sort (digest, the default, or pushedAt: newest first)', 'tagStatus (TAGGED, UNTAGGED or ANY)', 'limit (1-1000, default 50)', 'after (the previous page\'s next)'],
    handle: (dependencies, caller, params) => {
      const scope = params.scope();
      const repository = params.repository();
      const order = params.imageOrder();
      const after = order === 'digest' ? params.optionalDigest('after') : params.optional('after');
      const tagStatus = params.tagStatus();
      return imagesView(dependencies, caller, scope, repository, { limit: params.limit(), order, ...(after !== undefined ? { after } : {}), ...(tagStatus !== undefined ? { tagStatus } : {}) });
    },
  },
  {
    method: 'GET',
    path: '/image',
    description: 'One image: manifest, config (platform, entrypoint, env, history), layers, an index\'s children, referrers, scan findings.',
    parameters: [...SCOPE_PARAMETERS, 'repository', 'digest'],
    handle: (dependencies, caller, params) => imageView(dependencies, caller, params.scope(), params.repository(), params.digest()),
  },
  {
    method: 'GET',
    path: '/lifecycle-preview',
    description: 'What the repository\'s lifecycle policy would expire or archive now, and which rule selects each image.',
    parameters: [...SCOPE_PARAMETERS, 'repository'],
    handle: (dependencies, caller, params) => lifecyclePreviewView(dependencies, caller, params.scope(), params.repository()),
  },
  {
    method: 'POST',
    path: '/delete-image',
    description: 'Deletes an image and its tags (BatchDeleteImage).',
    parameters: [...SCOPE_PARAMETERS, 'repository', 'digest'],
    handle: (dependencies, caller, params) => deleteImage(dependencies, caller, params.scope(), params.repository(), params.digest()),
  },
  {
    method: 'POST',
    path: '/delete-tag',
    description: 'Deletes one tag; the image stays (BatchDeleteImage).',
    parameters: [...SCOPE_PARAMETERS, 'repository', 'tag'],
    handle: (dependencies, caller, params) => deleteTag(dependencies, caller, params.scope(), params.repository(), params.tag()),
  },
  {
    method: 'POST',
    path: '/start-scan',
    description: 'Scans an image now (StartImageScan): once per image per 24 hours.',
    parameters: [...SCOPE_PARAMETERS, 'repository', 'digest'],
    handle: (dependencies, caller, params) => startScan(dependencies, caller, params.scope(), params.repository(), params.digest()),
  },
  {
    method: 'POST',
    path: '/run-lifecycle',
    description: 'Applies the repository\'s lifecycle policy now, as ECR does within a day.',
    parameters: [...SCOPE_PARAMETERS, 'repository'],
    handle: (dependencies, caller, params) => runLifecycle(dependencies, caller, params.scope(), params.repository()),
  },
];

/** Where the access feed lives: server/iam-admin-routes.ts serves it under both prefixes. */
const DECISION_ROUTES = [
  { method: 'GET', path: '/decisions', description: 'Recent access decisions, newest first.', parameters: ['principal (ARN)', 'action', 'decision (allowed, denied, would-be-denied)', 'limit (1-1000)'] },
  { method: 'GET', path: '/suggested-policy', description: 'The least-privilege identity policy for everything a principal asked for.', parameters: ['principal (ARN)'] },
];

/** The core's error kinds as console statuses: absent things are 404, conflicts with the image's state 409. */
const STATUS_OF: Record<DomainErrorKind, number> = {
  RepositoryNotFound: 404,
  ImageNotFound: 404,
  BlobUnknown: 404,
  UploadNotFound: 404,
  RepositoryAlreadyExists: 409,
  RepositoryNotEmpty: 409,
  ImageAlreadyExists: 409,
  TagImmutable: 409,
  ImageArchived: 409,
  ImageReferencedByIndex: 409,
  LimitExceeded: 429,
  InvalidParameter: 400,
  ImageDigestMismatch: 400,
  LayersNotFound: 400,
  ReferencedImagesNotFound: 400,
  ManifestInvalid: 400,
  ManifestTooLarge: 400,
  UnsupportedMediaType: 400,
  DigestInvalid: 400,
  UploadOutOfOrder: 400,
  ReferenceInvalid: 400,
  RangeInvalid: 400,
  UpstreamUnauthorized: 502,
};

function index() {
  return {
    description: 'The ECR emulator console API. Without an Authorization header it acts as the root of the account viewed; with Basic AWS:<token> (aws ecr get-login-password) as that principal.',
    routes: [...ROUTES, ...DECISION_ROUTES].map(({ method, path, description, parameters }) => ({ method, path: `/_emulator/api${path}`, description, parameters })),
  };
}

function failure(status: number, message: string): ConsoleApiResponse {
  return { status, body: { message } };
}

export interface ConsoleApi {
  /** Answers every request under /_emulator/api; throws only what is a bug (the server answers it 500). */
  handle(request: ConsoleApiRequest): Promise<ConsoleApiResponse>;
}

export function createConsoleApi(dependencies: ConsoleApiDependencies): ConsoleApi {
  return {
    async handle(request) {
      const path = request.path.replace(/\/$/, '');
      if (path === '') return request.method === 'GET' ? { status: 200, body: index() } : failure(405, `${request.method} is not allowed on /_emulator/api`);
      const matching = ROUTES.filter((route) => route.path === path);
      if (matching.length === 0) return failure(404, `No console API route ${path}; GET /_emulator/api lists them.`);
      const route = matching.find((candidate) => candidate.method === request.method);
      if (route === undefined) return failure(405, `${request.method} is not allowed on /_emulator/api${path}; use ${matching.map((candidate) => candidate.method).join(', ')}.`);
      try {
        // A change must come as JSON: a form another site posts cannot set that content type without CORS asking
        // first, and the console answers no CORS preflight.
        if (route.method === 'POST' && !/^application\/json\b/i.test(request.contentType ?? '')) throw new ConsoleError(415, 'Send the parameters as a JSON object with Content-Type: application/json.');
        const input = route.method === 'GET' ? request.query : request.body;
        if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new ConsoleError(400, 'The body must be a JSON object.');
        const known = route.parameters.map((parameter) => parameter.split(' ')[0]);
        const unknown = Object.keys(input).find((name) => !known.includes(name));
        if (unknown !== undefined) throw new ConsoleError(400, `${unknown.slice(0, 100)} is not a parameter of ${path}; it takes ${known.length === 0 ? 'none' : known.join(', ')}.`);
        const caller = consoleCaller(dependencies.tokens, { ...request, now: dependencies.clock.now() });
        return { status: 200, body: await route.handle(dependencies, caller, new ConsoleParams(input as Record<string, unknown>)) };
      } catch (error) {
        if (error instanceof ConsoleError) return failure(error.status, error.message);
        if (error instanceof DomainError) return failure(STATUS_OF[error.kind], error.message);
        throw error;
      }
    },
  };
}


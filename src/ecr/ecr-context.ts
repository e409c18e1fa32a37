// What a control-plane handler receives: the caller's scope and the services built by the composition root.
import type { PullThroughCache } from '../automation/pull-through-cache';
import type { EcrOperationName, EcrOperations } from '../aws/ecr-types.generated';
import type { LayerDownloadUrls } from '../auth/layer-download-url';
import type { RegistryTokens } from '../auth/registry-token';
import type { AccountSettings } from '../images/account-settings';
import type { BlobService } from '../images/blob-service';
import type { Clock } from '../kernel/clock';
import type { ImageService } from '../images/image-service';
import type { UploadService } from '../images/upload-service';
import type { RegistryAddresses } from '../kernel/registry-address';
import type { RegistryDocuments } from '../images/registry-documents';
import type { ImageScanDependencies } from '../scanning/image-scans';
import type { RepositoryService } from '../images/repository-service';
import type { Scope } from '../kernel/scope';
import type { Principal } from '../auth/principal';
import type { AccessPolicy } from '../auth/access';
import type { ConditionContext } from '../auth/policy-conditions';

export interface EcrServices {
  repositories: RepositoryService;
  /** The image core the data plane also uses: one image model, one lock table. */
  images: ImageService;
  blobs: BlobService;
  uploads: UploadService;
  accountSettings: AccountSettings;
  /** Fills repositories pull-through cache rules cover from their upstream, before BatchGetImage reads them. */
  pullThroughCache: PullThroughCache;
  /** Scan state and the source of supplied findings. */
  scans: ImageScanDependencies;
  /** Signs the URLs GetDownloadUrlForLayer hands out. */
  layerDownloads: LayerDownloadUrls;
  documents: RegistryDocuments;
  tokens: RegistryTokens;
  addresses: RegistryAddresses;
  clock: Clock;
  tokenTtlSeconds: number;
}

export interface EcrContext {
  /** The caller's own registry: its account and the credential scope's region. */
  scope: Scope;
  /** Who is calling: GetAuthorizationToken issues its token to this principal. */
  principal: Principal;
  /** The access question, for handlers that show only what the caller may see (DescribeRepositories). */
  access: AccessPolicy;
  /** The request's own condition keys (source address, transport, tags), for the questions handlers ask. */
  requestContext: ConditionContext;
  services: EcrServices;
}

export type OperationHandler<Name extends EcrOperationName> = (
  input: EcrOperations[Name]['input'],
  context: EcrContext,
) => EcrOperations[Name]['output'] | Promise<EcrOperations[Name]['output']>;

/** A domain module's share of the operation table. */
export type OperationHandlers = { [Name in EcrOperationName]?: OperationHandler<Name> };

/**
 * The registry an input addresses: its `registryId` when given, else the caller's own account. The endpoint has
 * already asked auth/ whether the caller may act there (see request-target.ts).
 */
export function targetScope(context: EcrContext, registryId: string | undefined): Scope {
  return registryId === undefined ? context.scope : { accountId: registryId, region: context.scope.region };
}

// The registry documents by kind: one table of every family kept in the registry document store, the key each is
// stored under and the type of its value, and a typed facade over the store. The store itself knows no kinds.
import type {
  EncryptionConfigurationForRepositoryCreationTemplate,
  FindingSeverityCounts,
  ImageScanFinding,
  ImageTagMutability,
  ImageTagMutabilityExclusionFilter,
  LifecyclePolicyRuleAction,
  RCTAppliedFor,
  RegistryScanningConfiguration,
  ReplicationConfiguration,
  SigningConfiguration,
  Tag,
  UpstreamRegistry,
} from '../aws/ecr-types.generated';
import type { RegistryDocumentStore } from '../store/registry-document-store';
import type { Scope } from '../kernel/scope';

/** PutRegistryPolicy's document: the text exactly as given. */
export interface StoredRegistryPolicy {
  policyText: string;
  /** Epoch milliseconds. */
  updatedAt: number;
}

export interface StoredPullThroughCacheRule {
  ecrRepositoryPrefix: string;
  upstreamRegistryUrl: string;
  upstreamRegistry: UpstreamRegistry;
  credentialArn?: string;
  customRoleArn?: string;
  upstreamRepositoryPrefix?: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Epoch milliseconds. */
  updatedAt: number;
}

export interface StoredRepositoryCreationTemplate {
  prefix: string;
  description?: string;
  encryptionConfiguration: EncryptionConfigurationForRepositoryCreationTemplate;
  resourceTags: Tag[];
  imageTagMutability: ImageTagMutability;
  imageTagMutabilityExclusionFilters?: ImageTagMutabilityExclusionFilter[];
  repositoryPolicy?: string;
  lifecyclePolicy?: string;
  appliedFor: RCTAppliedFor[];
  customRoleArn?: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Epoch milliseconds. */
  updatedAt: number;
}

export interface StoredPullTimeUpdateExclusion {
  principalArn: string;
  /** Epoch milliseconds. */
  createdAt: number;
}

/** One image the previewed policy acts on (times as ISO 8601 text). */
export interface StoredPreviewResult {
  digest: string;
  tags: string[];
  pushedAt: string;
  action: LifecyclePolicyRuleAction;
  appliedRulePriority: number;
  storageClass: 'STANDARD' | 'ARCHIVE';
}

/** StartLifecyclePolicyPreview's result (times as ISO 8601 text). */
export interface StoredLifecyclePolicyPreview {
  /** Tells a preview of this repository from one of an earlier repository of the same name. */
  repositoryCreatedAt: string;
  lifecyclePolicyText: string;
  evaluatedAt: string;
  results: StoredPreviewResult[];
}

/** A completed scan of one image (times as ISO 8601 text). */
export interface StoredImageScan {
  digest: string;
  startedAt: string;
  completedAt: string;
  vulnerabilitySourceUpdatedAt: string;
  findings: ImageScanFinding[];
  enhancedFindings?: Record<string, unknown>[];
  findingSeverityCounts: FindingSeverityCounts;
}

/** Findings a user supplied for an image digest, in place of the simulated ones. */
export interface SuppliedFindings {
  findings: ImageScanFinding[];
  /** Enhanced (Inspector) findings in their wire form: timestamps as epoch seconds or ISO 8601 text. */
  enhancedFindings?: Record<string, unknown>[];
}

/** One destination's replication outcome for an image, as DescribeImageReplicationStatus reports it. */
export interface StoredReplicationStatus {
  region: string;
  registryId: string;
  status: 'IN_PROGRESS' | 'COMPLETE' | 'FAILED';
  failureCode?: string;
}

/** A replication of one push waiting to run: kept until it ran, so a restart redoes it. */
export interface StoredReplicationTask {
  source: Scope;
  repository: string;
  digest: string;
  tag?: string;
  destinations: Scope[];
}

/**
 * Every kind of registry document: the key it is stored under and its value. A registry-wide document has one
 * fixed key. Kinds and keys are what is on disk: renaming one loses the documents stored under it.
 */
export interface RegistryDocumentKinds {
  /** By setting name (GetAccountSetting, PutAccountSetting). */
  'account-setting': { key: string; value: string };
  'registry-policy': { key: 'policy'; value: StoredRegistryPolicy };
  'registry-scanning-configuration': { key: 'configuration'; value: Required<RegistryScanningConfiguration> };
  'replication-configuration': { key: 'configuration'; value: ReplicationConfiguration };
  'signing-configuration': { key: 'configuration'; value: SigningConfiguration };
  /** By ECR repository prefix, without its trailing `/`. */
  'pull-through-cache-rule': { key: string; value: StoredPullThroughCacheRule };
  /** By prefix, without its trailing `/`. */
  'repository-creation-template': { key: string; value: StoredRepositoryCreationTemplate };
  /** By principal ARN. */
  'pull-time-update-exclusion': { key: string; value: StoredPullTimeUpdateExclusion };
  /** By repository name. */
  'lifecycle-policy-preview': { key: string; value: StoredLifecyclePolicyPreview };
  /** By `<repository>@<digest>`. */
  'image-scan': { key: string; value: StoredImageScan };
  /** By image digest, in the emulator's own scope: the same findings wherever the image is pushed. */
  'supplied-scan-findings': { key: string; value: SuppliedFindings };
  /** By `<repository>@<digest>`, in the source registry: the last replication's outcome per destination. */
  'replication-status': { key: string; value: StoredReplicationStatus[] };
  /** By enqueue order (a sortable key), in the replication queue's global pseudo-scope. */
  'replication-task': { key: string; value: StoredReplicationTask };
}

export type RegistryDocumentKind = keyof RegistryDocumentKinds;
export type RegistryDocumentKey<Kind extends RegistryDocumentKind> = RegistryDocumentKinds[Kind]['key'];
export type RegistryDocument<Kind extends RegistryDocumentKind> = RegistryDocumentKinds[Kind]['value'];

/** The registry document store by kind. Each call is atomic. */
export interface RegistryDocuments {
  get<Kind extends RegistryDocumentKind>(kind: Kind, scope: Scope, key: RegistryDocumentKey<Kind>): RegistryDocument<Kind> | undefined;
  /** Inserts or replaces. */
  put<Kind extends RegistryDocumentKind>(kind: Kind, scope: Scope, key: RegistryDocumentKey<Kind>, value: RegistryDocument<Kind>): void;
  /** Inserts only; returns false when the key exists (the caller words the conflict). */
  insert<Kind extends RegistryDocumentKind>(kind: Kind, scope: Scope, key: RegistryDocumentKey<Kind>, value: RegistryDocument<Kind>): boolean;
  /** Returns whether something was deleted. */
  delete<Kind extends RegistryDocumentKind>(kind: Kind, scope: Scope, key: RegistryDocumentKey<Kind>): boolean;
  /** Every document of the kind in the scope, ordered by key. */
  list<Kind extends RegistryDocumentKind>(kind: Kind, scope: Scope): { key: RegistryDocumentKey<Kind>; value: RegistryDocument<Kind> }[];
}

/**
 * The typed facade over the store. Its casts hold because every document is written through it: what `put` stored
 * under a kind is what `get` reads back under that kind.
 */
export function registryDocuments(store: RegistryDocumentStore): RegistryDocuments {
  return {
    get<Kind extends RegistryDocumentKind>(kind: Kind, scope: Scope, key: RegistryDocumentKey<Kind>) {
      return store.get(scope, kind, key) as RegistryDocument<Kind> | undefined;
    },
    put: (kind, scope, key, value) => store.put(scope, kind, key, value),
    insert: (kind, scope, key, value) => store.insert(scope, kind, key, value),
    delete: (kind, scope, key) => store.delete(scope, kind, key),
    list<Kind extends RegistryDocumentKind>(kind: Kind, scope: Scope) {
      return store.list(scope, kind) as { key: RegistryDocumentKey<Kind>; value: RegistryDocument<Kind> }[];
    },
  };
}

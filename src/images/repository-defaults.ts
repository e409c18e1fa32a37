// ECR's defaults for a new repository, in one place for every way one is created: CreateRepository, replication,
// and (later) creation templates and pull-through cache.
import type { RepositoryRecord } from '../store/repository-store';

export type RepositorySettings = Partial<Omit<RepositoryRecord, 'name' | 'createdAt'>>;

/** API reference, CreateRepository: mutable tags, no scan on push, AES-256 encryption and no tags unless given. */
export function newRepositoryRecord(name: string, createdAt: Date, settings: RepositorySettings = {}): RepositoryRecord {
  return {
    imageTagMutability: 'MUTABLE',
    imageScanningConfiguration: { scanOnPush: false },
    encryptionConfiguration: { encryptionType: 'AES256' },
    tags: [],
    ...settings,
    name,
    createdAt,
  };
}

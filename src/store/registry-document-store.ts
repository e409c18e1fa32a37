// Registry-level configuration documents of one scope, by family (`kind`) and key: registry policy, scanning and
// replication configuration, pull-through cache rules, creation templates, account settings, signing, exclusions.
// Values are JSON; each call is atomic. The store knows no kinds: images/registry-documents.ts types them.
import type { Scope } from '../kernel/scope';

export interface RegistryDocumentStore {
  /** The value stored under the key, or undefined. */
  get(scope: Scope, kind: string, key: string): unknown;
  /** Inserts or replaces. */
  put(scope: Scope, kind: string, key: string, value: unknown): void;
  /** Inserts only; returns false when the key exists (the caller words the conflict). */
  insert(scope: Scope, kind: string, key: string, value: unknown): boolean;
  /** Returns whether something was deleted. */
  delete(scope: Scope, kind: string, key: string): boolean;
  /** Every document of the family, ordered by key. */
  list(scope: Scope, kind: string): { key: string; value: unknown }[];
}

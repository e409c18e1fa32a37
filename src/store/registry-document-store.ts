// Registry-level configuration documents of one scope, by family (`kind`) and key: registry policy, scanning and
// replication configuration, pull-through cache rules, creation templates, account settings, signing, exclusions.
// Values are JSON; each call is atomic.
import type { Scope } from './scope';

export interface RegistryDocumentStore {
  get<T>(scope: Scope, kind: string, key: string): T | undefined;
  /** Inserts or replaces. */
  put<T>(scope: Scope, kind: string, key: string, value: T): void;
  /** Inserts only; returns false when the key exists (the caller words the conflict). */
  insert<T>(scope: Scope, kind: string, key: string, value: T): boolean;
  /** Returns whether something was deleted. */
  delete(scope: Scope, kind: string, key: string): boolean;
  /** Every document of the family, ordered by key. */
  list<T>(scope: Scope, kind: string): { key: string; value: T }[];
}

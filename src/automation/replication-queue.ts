// The replication queue: pushes waiting to be replicated, kept in the document store so a restart redoes them,
// and one worker that runs them in order off the push's path. It knows nothing of how a task is carried out.
import type { RegistryDocuments, StoredReplicationTask } from '../images/registry-documents';
import type { Scope } from '../kernel/scope';

/** The queue is one for the whole emulator, like the store: one pseudo-scope holds every account's tasks. */
const QUEUE_SCOPE: Scope = { accountId: 'replication', region: 'global' };

/** Starts work later, off the caller's stack. Tests pass one that holds the work until they release it. */
export type Scheduler = (work: () => void) => void;

export const setImmediateScheduler: Scheduler = (work) => {
  setImmediate(work);
};

export interface ReplicationQueueDependencies {
  documents: RegistryDocuments;
  /** Carries one task out; a throw is the task's own failure (it is not retried). */
  run: (task: StoredReplicationTask) => Promise<void>;
  schedule?: Scheduler;
}

export interface ReplicationQueue {
  /** Persists the task and has the worker run it after the tasks before it. Returns once it is persisted. */
  enqueue(task: StoredReplicationTask): void;
  /** Queues the tasks a previous process persisted and did not finish, oldest first; returns how many. */
  resume(): number;
  /** Resolves once every task queued so far (and any queued meanwhile) has run. */
  idle(): Promise<void>;
}

/** Keys sort in enqueue order, across restarts too: a process continues the sequence of the tasks left to it. */
function taskKey(sequence: number): string {
  return String(sequence).padStart(12, '0');
}

export function createReplicationQueue(dependencies: ReplicationQueueDependencies): ReplicationQueue {
  const { documents, run, schedule = setImmediateScheduler } = dependencies;
  const pending: string[] = [];
  let sequence: number | undefined;
  const persistedKeys = (): string[] => documents.list('replication-task', QUEUE_SCOPE).map(({ key }) => key);
  const nextKey = (): string => {
    sequence ??= Math.max(0, ...persistedKeys().map(Number));
    sequence += 1;
    return taskKey(sequence);
  };
  let draining: Promise<void> | undefined;

  async function drain(): Promise<void> {
    for (let key = pending.shift(); key !== undefined; key = pending.shift()) {
      const task = documents.get('replication-task', QUEUE_SCOPE, key);
      if (task === undefined) continue;
      try {
        await run(task);
      } finally {
        documents.delete('replication-task', QUEUE_SCOPE, key);
      }
    }
  }

  function wake(): void {
    if (draining !== undefined) return;
    draining = new Promise<void>((resolve) => {
      schedule(() => {
        drain()
          .catch(() => undefined)
          .finally(() => {
            draining = undefined;
            resolve();
            // A task queued between the last shift and this line still gets its worker.
            if (pending.length > 0) wake();
          });
      });
    });
  }

  return {
    enqueue(task) {
      const key = nextKey();
      documents.put('replication-task', QUEUE_SCOPE, key, task);
      pending.push(key);
      wake();
    },
    resume() {
      const keys = persistedKeys().filter((key) => !pending.includes(key));
      pending.unshift(...keys);
      if (keys.length > 0) wake();
      return keys.length;
    },
    async idle() {
      while (draining !== undefined) await draining;
    },
  };
}

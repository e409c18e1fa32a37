// Replication off the push's path, over a real core and store: the push is answered with its destinations
// IN_PROGRESS, the worker runs only when scheduled and settles each to COMPLETE or FAILED, and a task a stopped
// process left in the queue is redone by the next core over the same data directory.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { replicationStatusesOf } from '../../../src/automation/replication';
import type { Scheduler } from '../../../src/automation/replication-queue';
import { newRepositoryRecord } from '../../../src/images/repository-defaults';
import type { Scope } from '../../../src/kernel/scope';
import { createImageCore, type ImageCore } from '../../../src/server/create-app';
import { openStorage, type Storage } from '../../../src/server/storage';
import { sha256Of } from '../../helpers/test-images';

const SOURCE: Scope = { accountId: '111111111111', region: 'us-east-1' };
const EUROPE: Scope = { accountId: '111111111111', region: 'eu-west-1' };
const NOW = new Date('2026-03-01T00:00:00Z');
const clock = { now: () => NOW };
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/** A scheduler that keeps the worker's start until the test releases it. */
function heldScheduler(): { schedule: Scheduler; release(): void } {
  const held: (() => void)[] = [];
  return {
    schedule: (work) => {
      held.push(work);
    },
    release: () => held.splice(0).forEach((work) => work()),
  };
}

/** An image index without children: a manifest that needs no blobs, distinct per `name`. */
function indexManifest(name: string): string {
  return JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [], annotations: { name } });
}

async function push(core: ImageCore, tag: string, name = tag): Promise<string> {
  const manifest = Buffer.from(indexManifest(name));
  await core.images.putManifest({ scope: SOURCE, repository: 'app', manifest, mediaType: OCI_INDEX, reference: tag });
  return sha256Of(manifest);
}

function replicateToEurope(core: ImageCore): void {
  core.documents.put('replication-configuration', SOURCE, 'configuration', { rules: [{ destinations: [{ region: EUROPE.region, registryId: EUROPE.accountId }] }] });
  core.repositories.ensure(SOURCE, newRepositoryRecord('app', NOW));
}

function statusesOf(core: ImageCore, digest: string) {
  return replicationStatusesOf(core, SOURCE, 'app', digest);
}

describe('replication in memory', () => {
  let storage: Storage;
  let scheduler: ReturnType<typeof heldScheduler>;
  let core: ImageCore;
  beforeEach(() => {
    storage = openStorage(undefined);
    scheduler = heldScheduler();
    core = createImageCore(storage, clock, { replicationScheduler: scheduler.schedule });
    replicateToEurope(core);
  });
  afterEach(() => storage.close());

  it('answers the push with the destination IN_PROGRESS and nothing copied until the worker runs', async () => {
    const digest = await push(core, 'v1');
    expect(statusesOf(core, digest)).toEqual([{ region: 'eu-west-1', registryId: '111111111111', status: 'IN_PROGRESS' }]);
    expect(core.repositories.find(EUROPE, 'app')).toBeUndefined();
    scheduler.release();
    await core.replication.idle();
    expect(statusesOf(core, digest)).toEqual([{ region: 'eu-west-1', registryId: '111111111111', status: 'COMPLETE' }]);
    expect(core.images.details(EUROPE, 'app', digest)?.tags).toEqual(['v1']);
  });

  it('fails a destination whose immutable tag names another image, with ECR\'s wording, and keeps its image', async () => {
    core.repositories.ensure(EUROPE, newRepositoryRecord('app', NOW, { imageTagMutability: 'IMMUTABLE' }));
    const first = await push(core, 'v1', 'first');
    scheduler.release();
    await core.replication.idle();
    const second = await push(core, 'v1', 'second');
    scheduler.release();
    await core.replication.idle();
    expect(statusesOf(core, second)).toEqual([
      {
        region: 'eu-west-1',
        registryId: '111111111111',
        status: 'FAILED',
        failureCode: "The image tag 'v1' already exists in the 'app' repository and cannot be overwritten because the repository is immutable.",
      },
    ]);
    expect(core.images.details(EUROPE, 'app', first)?.tags).toEqual(['v1']);
    expect(core.images.details(EUROPE, 'app', second)).toBeUndefined();
  });

  it('runs queued pushes in order: a tag moved twice ends where the source has it', async () => {
    await push(core, 'latest', 'one');
    const two = await push(core, 'latest', 'two');
    scheduler.release();
    await core.replication.idle();
    expect(core.images.details(EUROPE, 'app', two)?.tags).toEqual(['latest']);
  });

  it('creates the destination repository from the destination\'s REPLICATION template', async () => {
    core.documents.put('repository-creation-template', EUROPE, 'ROOT', {
      prefix: 'ROOT',
      encryptionConfiguration: { encryptionType: 'AES256' },
      resourceTags: [{ Key: 'team', Value: 'platform' }],
      imageTagMutability: 'IMMUTABLE',
      appliedFor: ['REPLICATION'],
      createdAt: 0,
      updatedAt: 0,
    });
    await push(core, 'v1');
    scheduler.release();
    await core.replication.idle();
    expect(core.repositories.find(EUROPE, 'app')).toMatchObject({ imageTagMutability: 'IMMUTABLE', tags: [{ Key: 'team', Value: 'platform' }] });
  });

  it('creates the destination repository with default settings when no template is applied for REPLICATION', async () => {
    core.documents.put('repository-creation-template', EUROPE, 'ROOT', {
      prefix: 'ROOT',
      encryptionConfiguration: { encryptionType: 'AES256' },
      resourceTags: [],
      imageTagMutability: 'IMMUTABLE',
      appliedFor: ['PULL_THROUGH_CACHE'],
      createdAt: 0,
      updatedAt: 0,
    });
    await push(core, 'v1');
    scheduler.release();
    await core.replication.idle();
    expect(core.repositories.find(EUROPE, 'app')).toMatchObject({ imageTagMutability: 'MUTABLE', tags: [] });
  });
});

describe('replication across a restart', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ecr-replication-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('redoes a task the stopped process left queued, and leaves the queue empty', async () => {
    const before = openStorage(dataDir);
    const stopped = createImageCore(before, clock, { replicationScheduler: heldScheduler().schedule });
    replicateToEurope(stopped);
    const digest = await push(stopped, 'v1');
    before.close();

    const after = openStorage(dataDir);
    try {
      const core = createImageCore(after, clock);
      expect(statusesOf(core, digest)[0]?.status).toBe('IN_PROGRESS');
      expect(core.replication.resume()).toBe(1);
      await core.replication.idle();
      expect(statusesOf(core, digest)).toEqual([{ region: 'eu-west-1', registryId: '111111111111', status: 'COMPLETE' }]);
      expect(core.images.details(EUROPE, 'app', digest)?.tags).toEqual(['v1']);
      expect(core.replication.resume()).toBe(0);
    } finally {
      after.close();
    }
  });
});

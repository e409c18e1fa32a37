// Image scanning through the SDK: StartImageScan and DescribeImageScanFindings, deterministic simulated findings,
// findings supplied by the ECR_EMULATOR_SCAN_FINDINGS file, scan on push by repository setting and registry rules,
// the 24-hour quota, images that cannot be scanned, paging, and the not-found errors.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateRepositoryCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  PutRegistryScanningConfigurationCommand,
  StartImageScanCommand,
  UpdateImageStorageClassCommand,
  type DescribeImageScanFindingsCommandOutput,
  type ImageScanFinding,
} from '@aws-sdk/client-ecr';
import { DOCKER_MANIFEST, OCI_INDEX, sha256 } from '../helpers/registry-client';
import { rejection } from '../helpers/rejection';
import { testClock } from '../helpers/test-clock';
import { useTestEmulator } from '../helpers/test-emulator';

const ACCOUNT = '000000000000';
const START = new Date('2026-03-01T12:00:00Z');
const HOUR_MS = 60 * 60 * 1000;
const FINDINGS_VARIABLE = 'ECR_EMULATOR_SCAN_FINDINGS';

const clock = testClock(START);
let fixtureDirectory: string;

const env = useTestEmulator({ clock, repositories: ['app'] });
beforeAll(() => {
  fixtureDirectory = mkdtempSync(path.join(tmpdir(), 'scan-findings-'));
});
afterAll(() => {
  rmSync(fixtureDirectory, { recursive: true, force: true });
});
afterEach(() => {
  delete process.env[FINDINGS_VARIABLE];
});

function push(repository: string, tag: string, layer = `layer of ${tag}`): Promise<{ digest: string; manifest: string }> {
  return env.registry.pushImage(repository, tag, { layers: [layer] });
}

async function pushIndex(repository: string, tag: string): Promise<string> {
  const children = [await push(repository, 'amd'), await push(repository, 'arm')];
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: children.map((child) => ({ mediaType: DOCKER_MANIFEST, digest: child.digest, size: Buffer.byteLength(child.manifest) })),
  });
  expect((await env.registry.putManifest(repository, tag, index, OCI_INDEX)).status).toBe(201);
  return sha256(index);
}

function findingsOf(repository: string, imageId: { imageTag?: string; imageDigest?: string }, paging: { maxResults?: number; nextToken?: string } = {}): Promise<DescribeImageScanFindingsCommandOutput> {
  return env.ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: repository, imageId, ...paging }));
}

function writeFixture(document: unknown): void {
  const file = path.join(fixtureDirectory, 'findings.json');
  writeFileSync(file, JSON.stringify(document));
  process.env[FINDINGS_VARIABLE] = file;
}

function finding(name: string, severity: string): ImageScanFinding {
  return {
    name,
    description: `${name} in a test package`,
    uri: `https://example.com/${name}`,
    severity: severity as ImageScanFinding['severity'],
    attributes: [{ key: 'package_name', value: 'testpkg' }, { key: 'package_version', value: '1.0' }],
  };
}

describe('StartImageScan', () => {
  it('starts a scan of the image a tag names and answers IN_PROGRESS with its digest', async () => {
    const { digest } = await push('app', 'v1');
    const started = await env.ecr.send(new StartImageScanCommand({ repositoryName: 'app', imageId: { imageTag: 'v1' } }));
    expect(started).toEqual(
      expect.objectContaining({ registryId: ACCOUNT, repositoryName: 'app', imageId: { imageTag: 'v1', imageDigest: digest }, imageScanStatus: { status: 'IN_PROGRESS' } }),
    );
  });

  it('completes the scan at once: DescribeImageScanFindings reports COMPLETE at the scan time', async () => {
    const { digest } = await push('app', 'v1');
    await env.ecr.send(new StartImageScanCommand({ repositoryName: 'app', imageId: { imageDigest: digest } }));
    const described = await findingsOf('app', { imageDigest: digest });
    expect(described.imageScanStatus).toEqual({ status: 'COMPLETE', description: 'The scan was completed successfully.' });
    expect(described.imageId).toEqual({ imageDigest: digest });
    expect(described.imageScanFindings?.imageScanCompletedAt).toEqual(START);
    expect(described.imageScanFindings?.vulnerabilitySourceUpdatedAt).toEqual(new Date('2025-06-01T00:00:00Z'));
  });

  it('reports severity counts that match the findings listed', async () => {
    // Enough images that some get findings whatever the digests come out as.
    const counts: number[] = [];
    for (const tag of ['a', 'b', 'c', 'd', 'e', 'f']) {
      await push('app', tag);
      await env.ecr.send(new StartImageScanCommand({ repositoryName: 'app', imageId: { imageTag: tag } }));
      const { imageScanFindings } = await findingsOf('app', { imageTag: tag });
      const expected: Record<string, number> = {};
      for (const { severity } of imageScanFindings!.findings!) expected[severity!] = (expected[severity!] ?? 0) + 1;
      expect(imageScanFindings!.findingSeverityCounts).toEqual(expected);
      counts.push(imageScanFindings!.findings!.length);
    }
    expect(counts.some((count) => count > 0)).toBe(true);
  });

  it('gives the same image digest the same simulated findings wherever it is scanned', async () => {
    await env.ecr.send(new CreateRepositoryCommand({ repositoryName: 'copy' }));
    const { digest } = await push('app', 'v1', 'shared layer');
    const copy = await push('copy', 'v1', 'shared layer');
    expect(copy.digest).toBe(digest);
    for (const repository of ['app', 'copy']) await env.ecr.send(new StartImageScanCommand({ repositoryName: repository, imageId: { imageDigest: digest } }));
    const [first, second] = await Promise.all([findingsOf('app', { imageDigest: digest }), findingsOf('copy', { imageDigest: digest })]);
    expect(second.imageScanFindings?.findings).toEqual(first.imageScanFindings?.findings);
    expect(second.imageScanFindings?.findingSeverityCounts).toEqual(first.imageScanFindings?.findingSeverityCounts);
  });

  it('refuses a second scan of an image within 24 hours with LimitExceededException, as ECR words it', async () => {
    await push('app', 'v1');
    await env.ecr.send(new StartImageScanCommand({ repositoryName: 'app', imageId: { imageTag: 'v1' } }));
    clock.set(new Date(START.getTime() + 23 * HOUR_MS));
    expect(await rejection(env.ecr.send(new StartImageScanCommand({ repositoryName: 'app', imageId: { imageTag: 'v1' } })))).toEqual({
      name: 'LimitExceededException',
      message: 'The scan quota per image has been exceeded. Wait and try again.',
    });
  });

  it('scans an image again once 24 hours have passed, with a new completion time', async () => {
    await push('app', 'v1');
    await env.ecr.send(new StartImageScanCommand({ repositoryName: 'app', imageId: { imageTag: 'v1' } }));
    clock.set(new Date(START.getTime() + 24 * HOUR_MS));
    await env.ecr.send(new StartImageScanCommand({ repositoryName: 'app', imageId: { imageTag: 'v1' } }));
    expect((await findingsOf('app', { imageTag: 'v1' })).imageScanFindings?.imageScanCompletedAt).toEqual(clock.now());
  });

  it('refuses an image index with UnsupportedImageTypeException', async () => {
    const digest = await pushIndex('app', 'multi');
    const error = await rejection(env.ecr.send(new StartImageScanCommand({ repositoryName: 'app', imageId: { imageTag: 'multi' } })));
    expect(error.name).toBe('UnsupportedImageTypeException');
    expect(error.message).toContain(digest);
  });

  it('refuses an archived image with ImageArchivedException', async () => {
    const { digest } = await push('app', 'v1');
    await env.ecr.send(new UpdateImageStorageClassCommand({ repositoryName: 'app', imageId: { imageDigest: digest }, targetStorageClass: 'ARCHIVE' }));
    expect(await rejection(env.ecr.send(new StartImageScanCommand({ repositoryName: 'app', imageId: { imageDigest: digest } })))).toEqual({
      name: 'ImageArchivedException',
      message: `The image with digest '${digest}' is archived and cannot be scanned.`,
    });
  });

  it('answers RepositoryNotFoundException for a repository that does not exist', async () => {
    expect(await rejection(env.ecr.send(new StartImageScanCommand({ repositoryName: 'nothing-here', imageId: { imageTag: 'v1' } })))).toEqual({
      name: 'RepositoryNotFoundException',
      message: `The repository with name 'nothing-here' does not exist in the registry with id '${ACCOUNT}'`,
    });
  });

  it('answers ImageNotFoundException for a tag the repository does not have', async () => {
    const error = await rejection(env.ecr.send(new StartImageScanCommand({ repositoryName: 'app', imageId: { imageTag: 'missing' } })));
    expect(error.name).toBe('ImageNotFoundException');
    expect(error.message).toContain("imageTag:'missing'");
  });

  it('answers InvalidParameterException for an image id with neither tag nor digest', async () => {
    const error = await rejection(env.ecr.send(new StartImageScanCommand({ repositoryName: 'app', imageId: {} })));
    expect(error).toEqual({ name: 'InvalidParameterException', message: 'Invalid request parameters: both tag and digest cannot be null' });
  });
});

describe('input validation', () => {
  it('answers ValidationException for StartImageScan without an imageId', async () => {
    const error = await rejection(env.ecr.send(new StartImageScanCommand({ repositoryName: 'app' } as never)));
    expect(error).toEqual({ name: 'ValidationException', message: "1 validation error detected: Value null at 'imageId' failed to satisfy constraint: Member must not be null" });
  });

  it('answers ValidationException for DescribeImageScanFindings without an imageId', async () => {
    const error = await rejection(env.ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: 'app' } as never)));
    expect(error).toEqual({ name: 'ValidationException', message: "1 validation error detected: Value null at 'imageId' failed to satisfy constraint: Member must not be null" });
  });

  it('answers InvalidParameterException for DescribeImageScanFindings with maxResults above 1000', async () => {
    await push('app', 'v1');
    const error = await rejection(findingsOf('app', { imageTag: 'v1' }, { maxResults: 1001 }));
    expect(error.name).toBe('InvalidParameterException');
    expect(error.message).toContain("'maxResults'");
  });
});

describe('DescribeImageScanFindings', () => {
  it('answers ScanNotFoundException for an image never scanned, as ECR words it', async () => {
    await push('app', 'v1');
    expect(await rejection(findingsOf('app', { imageTag: 'v1' }))).toEqual({
      name: 'ScanNotFoundException',
      message: `Image scan does not exist for the image with '{imageDigest:'null', imageTag:'v1'}' in the repository with name 'app' in the registry with id '${ACCOUNT}'`,
    });
  });

  it('answers ImageNotFoundException for an image the repository does not have', async () => {
    const digest = sha256('no such manifest');
    const error = await rejection(findingsOf('app', { imageDigest: digest }));
    expect(error.name).toBe('ImageNotFoundException');
    expect(error.message).toContain(digest);
  });

  it('answers RepositoryNotFoundException for a repository that does not exist', async () => {
    expect((await rejection(findingsOf('nothing-here', { imageTag: 'v1' }))).name).toBe('RepositoryNotFoundException');
  });

  it('pages the findings with maxResults and nextToken, most severe first, each finding once', async () => {
    const { digest } = await push('app', 'v1');
    const supplied = [finding('CVE-1', 'LOW'), finding('CVE-2', 'CRITICAL'), finding('CVE-3', 'MEDIUM'), finding('CVE-4', 'HIGH'), finding('CVE-5', 'INFORMATIONAL')];
    writeFixture({ [digest]: { findings: supplied } });
    await env.ecr.send(new StartImageScanCommand({ repositoryName: 'app', imageId: { imageTag: 'v1' } }));
    const pages: ImageScanFinding[][] = [];
    let nextToken: string | undefined;
    do {
      const page = await findingsOf('app', { imageTag: 'v1' }, { maxResults: 2, ...(nextToken !== undefined ? { nextToken } : {}) });
      pages.push(page.imageScanFindings!.findings!);
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat().map((item) => item.name)).toEqual(['CVE-2', 'CVE-4', 'CVE-3', 'CVE-1', 'CVE-5']);
  });

  it('answers InvalidParameterException for a nextToken it did not hand out', async () => {
    await push('app', 'v1');
    await env.ecr.send(new StartImageScanCommand({ repositoryName: 'app', imageId: { imageTag: 'v1' } }));
    expect((await rejection(findingsOf('app', { imageTag: 'v1' }, { nextToken: 'forged' }))).name).toBe('InvalidParameterException');
  });
});

describe('findings supplied with PUT /_emulator/scan-findings/<digest>', () => {
  it('reports them for every later scan of that digest, over the file and the simulation', async () => {
    const { digest } = await push('app', 'v1');
    const supplied = [finding('CVE-2025-1111', 'CRITICAL')];
    writeFixture({ [digest]: { findings: [finding('CVE-FROM-FILE', 'LOW')] } });
    const put = await fetch(`${env.emulator.endpoint}/_emulator/scan-findings/${digest}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ findings: supplied }) });
    expect(put.status).toBe(200);
    await env.ecr.send(new StartImageScanCommand({ repositoryName: 'app', imageId: { imageTag: 'v1' } }));
    const { imageScanFindings } = await findingsOf('app', { imageTag: 'v1' });
    expect(imageScanFindings?.findings).toEqual(supplied);
    expect(imageScanFindings?.findingSeverityCounts).toEqual({ CRITICAL: 1 });
  });

  it('answers 400 with a message for a body that is not a findings document', async () => {
    const put = await fetch(`${env.emulator.endpoint}/_emulator/scan-findings/sha256:${'a'.repeat(64)}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ findings: 'none' }) });
    expect(put.status).toBe(400);
    expect(((await put.json()) as { message: string }).message).toMatch(/findings/);
  });
});

describe('findings supplied by the ECR_EMULATOR_SCAN_FINDINGS file', () => {
  it('reports the supplied findings, with their counts, for the digest the file names', async () => {
    const { digest } = await push('app', 'v1');
    const supplied = [finding('CVE-2024-0001', 'HIGH'), finding('CVE-2024-0002', 'HIGH'), finding('CVE-2024-0003', 'LOW')];
    writeFixture({ [digest]: { findings: supplied } });
    await env.ecr.send(new StartImageScanCommand({ repositoryName: 'app', imageId: { imageTag: 'v1' } }));
    const { imageScanFindings } = await findingsOf('app', { imageTag: 'v1' });
    expect(imageScanFindings?.findings).toEqual(supplied);
    expect(imageScanFindings?.findingSeverityCounts).toEqual({ HIGH: 2, LOW: 1 });
  });

  it('reports an image the file lists with no findings as clean', async () => {
    const { digest } = await push('app', 'v1');
    writeFixture({ [digest]: { findings: [] } });
    await env.ecr.send(new StartImageScanCommand({ repositoryName: 'app', imageId: { imageTag: 'v1' } }));
    const { imageScanFindings } = await findingsOf('app', { imageTag: 'v1' });
    expect(imageScanFindings?.findings).toEqual([]);
    expect(imageScanFindings?.findingSeverityCounts).toEqual({});
  });

  it('reports supplied enhanced findings with their timestamps', async () => {
    const { digest } = await push('app', 'v1');
    const observed = '2026-02-01T00:00:00.000Z';
    writeFixture({
      [digest]: {
        findings: [],
        enhancedFindings: [{ awsAccountId: ACCOUNT, title: 'CVE-2024-0004 - openssl', severity: 'CRITICAL', status: 'ACTIVE', type: 'PACKAGE_VULNERABILITY', firstObservedAt: observed }],
      },
    });
    await env.ecr.send(new StartImageScanCommand({ repositoryName: 'app', imageId: { imageTag: 'v1' } }));
    const { imageScanFindings } = await findingsOf('app', { imageTag: 'v1' });
    expect(imageScanFindings?.enhancedFindings).toEqual([
      { awsAccountId: ACCOUNT, title: 'CVE-2024-0004 - openssl', severity: 'CRITICAL', status: 'ACTIVE', type: 'PACKAGE_VULNERABILITY', firstObservedAt: new Date(observed) },
    ]);
    expect(imageScanFindings?.findingSeverityCounts).toEqual({ CRITICAL: 1 });
  });

  it('answers InvalidParameterException naming the file when it is not JSON', async () => {
    await push('app', 'v1');
    const file = path.join(fixtureDirectory, 'broken.json');
    writeFileSync(file, '{ not json');
    process.env[FINDINGS_VARIABLE] = file;
    const error = await rejection(env.ecr.send(new StartImageScanCommand({ repositoryName: 'app', imageId: { imageTag: 'v1' } })));
    expect(error.name).toBe('InvalidParameterException');
    expect(error.message).toContain(file);
  });

  it('answers InvalidParameterException for a finding with an unknown severity', async () => {
    const { digest } = await push('app', 'v1');
    writeFixture({ [digest]: { findings: [{ name: 'CVE-X', severity: 'SEVERE' }] } });
    const error = await rejection(env.ecr.send(new StartImageScanCommand({ repositoryName: 'app', imageId: { imageTag: 'v1' } })));
    expect(error.name).toBe('InvalidParameterException');
    expect(error.message).toContain('.severity must be one of');
  });
});

describe('scan on push', () => {
  it('keeps the first scan when a tag is moved onto an image already scanned', async () => {
    await env.ecr.send(new CreateRepositoryCommand({ repositoryName: 'scanned', imageScanningConfiguration: { scanOnPush: true } }));
    const { manifest } = await push('scanned', 'v1');
    clock.set(new Date(START.getTime() + HOUR_MS));
    await env.registry.putManifest('scanned', 'stable', manifest, DOCKER_MANIFEST);
    const described = await findingsOf('scanned', { imageTag: 'stable' });
    expect(described.imageScanFindings?.imageScanCompletedAt).toEqual(START);
  });

  it('scans an image pushed to a repository with scanOnPush, and DescribeImages reports the scan', async () => {
    await env.ecr.send(new CreateRepositoryCommand({ repositoryName: 'scanned', imageScanningConfiguration: { scanOnPush: true } }));
    const { digest } = await push('scanned', 'v1');
    const described = await findingsOf('scanned', { imageTag: 'v1' });
    expect(described.imageScanStatus?.status).toBe('COMPLETE');
    expect(described.imageScanFindings?.imageScanCompletedAt).toEqual(START);
    const { imageDetails } = await env.ecr.send(new DescribeImagesCommand({ repositoryName: 'scanned', imageIds: [{ imageDigest: digest }] }));
    expect(imageDetails?.[0]).toEqual(
      expect.objectContaining({
        imageScanStatus: { status: 'COMPLETE', description: 'The scan was completed successfully.' },
        imageScanFindingsSummary: expect.objectContaining({ imageScanCompletedAt: START, findingSeverityCounts: described.imageScanFindings?.findingSeverityCounts }),
      }),
    );
  });

  it('does not scan an image pushed to a repository without scanOnPush', async () => {
    await push('app', 'v1');
    expect((await rejection(findingsOf('app', { imageTag: 'v1' }))).name).toBe('ScanNotFoundException');
  });

  it('counts a scan on push against the 24-hour quota', async () => {
    await env.ecr.send(new CreateRepositoryCommand({ repositoryName: 'scanned', imageScanningConfiguration: { scanOnPush: true } }));
    await push('scanned', 'v1');
    expect((await rejection(env.ecr.send(new StartImageScanCommand({ repositoryName: 'scanned', imageId: { imageTag: 'v1' } })))).name).toBe('LimitExceededException');
  });

  it('does not scan an image index pushed to a scanOnPush repository, only the images it lists', async () => {
    await env.ecr.send(new CreateRepositoryCommand({ repositoryName: 'scanned', imageScanningConfiguration: { scanOnPush: true } }));
    await pushIndex('scanned', 'multi');
    expect((await rejection(findingsOf('scanned', { imageTag: 'multi' }))).name).toBe('ScanNotFoundException');
    expect((await findingsOf('scanned', { imageTag: 'amd' })).imageScanStatus?.status).toBe('COMPLETE');
  });

  it('scans on push where a registry SCAN_ON_PUSH rule matches the repository, and only there', async () => {
    await env.ecr.send(new CreateRepositoryCommand({ repositoryName: 'prod/api' }));
    await env.ecr.send(
      new PutRegistryScanningConfigurationCommand({
        scanType: 'BASIC',
        rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: 'prod/*', filterType: 'WILDCARD' }] }],
      }),
    );
    await push('prod/api', 'v1');
    await push('app', 'v1');
    expect((await findingsOf('prod/api', { imageTag: 'v1' })).imageScanStatus?.status).toBe('COMPLETE');
    expect((await rejection(findingsOf('app', { imageTag: 'v1' }))).name).toBe('ScanNotFoundException');
  });

  it('scans on push where an enhanced CONTINUOUS_SCAN rule matches the repository', async () => {
    await env.ecr.send(
      new PutRegistryScanningConfigurationCommand({
        scanType: 'ENHANCED',
        rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: 'app', filterType: 'WILDCARD' }] }],
      }),
    );
    await push('app', 'v1');
    expect((await findingsOf('app', { imageTag: 'v1' })).imageScanStatus?.status).toBe('COMPLETE');
  });

  it('uses the findings file as it is at push time', async () => {
    await env.ecr.send(new CreateRepositoryCommand({ repositoryName: 'scanned', imageScanningConfiguration: { scanOnPush: true } }));
    // The same blobs make the same manifest: pushed to an unscanned repository first, it tells the digest.
    const { digest } = await push('app', 'v1', 'shared layer');
    writeFixture({ [digest]: { findings: [finding('CVE-2024-0005', 'MEDIUM')] } });
    expect((await push('scanned', 'v1', 'shared layer')).digest).toBe(digest);
    const { imageScanFindings } = await findingsOf('scanned', { imageTag: 'v1' });
    expect(imageScanFindings?.findings?.map((item) => item.name)).toEqual(['CVE-2024-0005']);
  });

  it('still pushes when the findings file is broken, and leaves the image unscanned', async () => {
    await env.ecr.send(new CreateRepositoryCommand({ repositoryName: 'scanned', imageScanningConfiguration: { scanOnPush: true } }));
    const file = path.join(fixtureDirectory, 'broken-on-push.json');
    writeFileSync(file, '[1, 2');
    process.env[FINDINGS_VARIABLE] = file;
    await push('scanned', 'v1');
    expect((await rejection(findingsOf('scanned', { imageTag: 'v1' }))).name).toBe('ScanNotFoundException');
  });
});

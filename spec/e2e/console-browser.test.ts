// The web console in a real browser: Debian's chromium, driven by playwright-core, against the built CLI with
// `--iam soft`. The deterministic images of fixtures/images/make-images.sh are pushed with skopeo (scan on push in one
// repository, a lifecycle policy from the SDK on it, a signature referring to its image, an index in another), an IAM
// user is refused, and the pages are checked against what the SDK answers: repositories, layers and sizes, platforms,
// referrers, findings, the lifecycle preview, the decision feed, the confirmed deletes. A second emulator with
// `--iam enforce` shows a read-only user only what it may see, and IAM's refusal of a delete. Keyboard use, the dark
// theme and 200 % zoom are checked too, and no page may log an error or violate the CSP. Screenshots of each page go
// to artifacts/console/ (and, with CONSOLE_SCREENSHOTS_TO_DOCS=1, into docs/console/ for the README): 1280 wide, the
// full page or, when that PNG would pass 200 KiB, the 1280x800 top.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateRepositoryCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  GetAuthorizationTokenCommand,
  PutLifecyclePolicyCommand,
  SetRepositoryPolicyCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { AttachUserPolicyCommand } from '@aws-sdk/client-iam';
import type { Page } from 'playwright-core';
import { launchConsoleBrowser, saveScreenshot, type ConsoleBrowser } from '../helpers/console-browser';
import { containerTools, expectExitZero, type ContainerTools } from '../helpers/container-tools';
import { startEmulatorProcess, type EmulatorProcess } from '../helpers/emulator-process';
import { createUserWithKey, ecrClientWith, iamClient, rootKeys } from '../helpers/identity-clients';
import { basicAuthorization, OCI_MANIFEST, registryClient, sha256 } from '../helpers/registry-client';
import { makeTestImages, type TestImages } from '../helpers/test-images';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const OTHER_REGION = 'eu-west-1';
/**
 * Scan on push, a lifecycle policy: the single image as `latest` and `v1`, an untagged cosign-like signature whose
 * subject is that image, the Docker v2s2 one as `legacy`.
 */
const APP = 'team/app';
/** The multi-platform index as `latest`, with its two children untagged; immutable tags, a repository policy. */
const MULTI = 'team/multi';
/** The v2s2 image as `old`: the image the delete test removes. */
const SCRATCH = 'sandbox/scratch';
/** An empty repository in the other Region, so the picker has two registries. */
const MIRROR = 'mirror/app';
const USER = 'ci';
const SETUP_TIMEOUT_MS = 120_000;
const ARTIFACTS = path.resolve(__dirname, '../../artifacts/console');
const DOCS = path.resolve(__dirname, '../../docs/console');
const docsCopy = process.env.CONSOLE_SCREENSHOTS_TO_DOCS === '1' ? DOCS : undefined;

const LIFECYCLE_POLICY = {
  rules: [
    { rulePriority: 1, description: 'Expire untagged images after a day', selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 }, action: { type: 'expire' } },
    // Tagged images only: the signature (untagged, and the newest push) is no image the rule should keep or count.
    { rulePriority: 2, description: 'Keep the newest tagged image only', selection: { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: 1 }, action: { type: 'expire' } },
  ],
};
const REPOSITORY_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'PullFromAccountB', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] }],
};

let emulator: EmulatorProcess;
let work: string;
let tools: ContainerTools;
let images: TestImages;
let ecr: ECRClient;
let browser: ConsoleBrowser;
/** The IAM user without policies: its requests are the would-be denials of --iam soft. */
let user: { arn: string; token: string };
/** The pushed v2s2 image's digest, as the registry computed it. */
let v2s2Digest: string;
/** The digest of the signature whose subject is the single image in APP. */
let signatureDigest: string;

const scope = `${ACCOUNT}/${REGION}`;
const hashOf = {
  registry: (region = REGION) => `#/registry/${ACCOUNT}/${region}`,
  repository: (name: string) => `#/repository/${scope}/${encodeURIComponent(name)}`,
  image: (name: string, digest: string) => `#/image/${scope}/${encodeURIComponent(name)}/${encodeURIComponent(digest)}`,
};

async function push(source: string, repository: string, tag: string, isIndex = false): Promise<string> {
  const digestFile = path.join(work, `${repository.replace(/\//g, '_')}-${tag}.digest`);
  expectExitZero(await tools.skopeo(['copy', ...(isIndex ? ['--all'] : []), '--dest-tls-verify=false', '--digestfile', digestFile, source, `docker://${emulator.registryHost}/${repository}:${tag}`]));
  return readFileSync(digestFile, 'utf8').trim();
}

/** The file of `digest` in the image's OCI layout: the manifest bytes skopeo pushed. */
function layoutBlob(layout: string, digest: string): string {
  return readFileSync(path.join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length)), 'utf8');
}

const SIGNATURE_TYPE = 'application/vnd.dev.cosign.artifact.sig.v1+json';
const EMPTY_TYPE = 'application/vnd.oci.empty.v1+json';

/**
 * Pushes an OCI artifact in the shape cosign uses for a signature (artifactType, the empty config `{}`, one layer)
 * whose subject is `subject`, through the registry API with fetch; returns its digest.
 */
async function pushSignature(endpoint: string, client: ECRClient, repository: string, subject: { digest: string; manifest: string }): Promise<string> {
  const registry = registryClient(endpoint, await basicAuthorization(client));
  const empty = await registry.pushBlob(repository, '{}');
  const payload = JSON.stringify({ critical: { image: { 'docker-manifest-digest': subject.digest }, type: 'cosign container image signature' } });
  const signature = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: SIGNATURE_TYPE,
    config: { mediaType: EMPTY_TYPE, digest: empty, size: 2 },
    layers: [{ mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json', digest: await registry.pushBlob(repository, payload), size: Buffer.byteLength(payload) }],
    subject: { mediaType: OCI_MANIFEST, digest: subject.digest, size: Buffer.byteLength(subject.manifest) },
  });
  const digest = sha256(signature);
  const response = await registry.putManifest(repository, digest, signature, OCI_MANIFEST);
  if (response.status !== 201) throw new Error(`signature push failed: ${response.status} ${await response.text()}`);
  return digest;
}

async function registryPassword(client: ECRClient): Promise<string> {
  const { authorizationData } = await client.send(new GetAuthorizationTokenCommand({}));
  return Buffer.from(authorizationData![0]!.authorizationToken!, 'base64').toString('utf8').slice('AWS:'.length);
}

async function seed(): Promise<void> {
  const other = ecrClientWith(emulator.endpoint, rootKeys(ACCOUNT), OTHER_REGION);
  await ecr.send(new CreateRepositoryCommand({ repositoryName: APP, imageScanningConfiguration: { scanOnPush: true } }));
  await ecr.send(new CreateRepositoryCommand({ repositoryName: MULTI, imageTagMutability: 'IMMUTABLE' }));
  await ecr.send(new CreateRepositoryCommand({ repositoryName: SCRATCH }));
  await other.send(new CreateRepositoryCommand({ repositoryName: MIRROR }));
  expectExitZero(await tools.skopeo(['login', '--tls-verify=false', '--username', 'AWS', '--password-stdin', emulator.registryHost], `${await registryPassword(ecr)}\n`));
  await push(images.single.reference, APP, 'latest');
  await push(images.single.reference, APP, 'v1');
  signatureDigest = await pushSignature(emulator.endpoint, ecr, APP, { digest: images.single.digest, manifest: layoutBlob(images.single.layout, images.single.digest) });
  v2s2Digest = await push(images.v2s2.reference, APP, 'legacy');
  await push(images.multi.reference, MULTI, 'latest', true);
  await push(images.v2s2.reference, SCRATCH, 'old');
  await ecr.send(new PutLifecyclePolicyCommand({ repositoryName: APP, lifecyclePolicyText: JSON.stringify(LIFECYCLE_POLICY) }));
  await ecr.send(new SetRepositoryPolicyCommand({ repositoryName: MULTI, policyText: JSON.stringify(REPOSITORY_POLICY) }));
  const created = await createUserWithKey(iamClient(emulator.endpoint, rootKeys(ACCOUNT)), USER);
  const asUser = ecrClientWith(emulator.endpoint, created.keys, REGION);
  // No policy allows the user anything: --iam soft lets both through and records them as would-be denials.
  await asUser.send(new DescribeImagesCommand({ repositoryName: APP }));
  user = { arn: created.arn, token: await registryPassword(asUser) };
}

async function describedImage(repository: string, digest: string) {
  const { imageDetails } = await ecr.send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageDigest: digest }] }));
  return imageDetails![0]!;
}

interface DescribedImage {
  digest: string;
  tags: string[];
  pushedAtMs: number;
}

/** DescribeImages' images in digest order. */
async function imageDigests(repository: string): Promise<DescribedImage[]> {
  const { imageDetails } = await ecr.send(new DescribeImagesCommand({ repositoryName: repository }));
  return imageDetails!
    .map((detail) => ({ digest: detail.imageDigest!, tags: [...(detail.imageTags ?? [])].sort(), pushedAtMs: detail.imagePushedAt!.getTime() }))
    .sort((left, right) => left.digest.localeCompare(right.digest));
}

/** DescribeImages' images newest push first, ties by digest descending: the order of the console's sort=pushedAt. */
async function newestFirst(repository: string): Promise<DescribedImage[]> {
  return (await imageDigests(repository)).sort((left, right) => right.pushedAtMs - left.pushedAtMs || right.digest.localeCompare(left.digest));
}

/** The digests of the images table's rows, once the table has settled. */
async function rowDigests(page: Page): Promise<(string | null)[]> {
  await page.locator('[aria-busy="true"]').waitFor({ state: 'detached' });
  return imagesTable(page).locator('tbody tr[data-digest]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-digest')));
}

/** Opens the repository page with a page size of two images (the API's `next` exercised for real), recording each `/images` request's sort and after. */
async function openWithTwoPerPage(repository: string): Promise<{ page: Page; requests: { sort: string | null; after: string | null }[] }> {
  const page = await browser.open('');
  const requests: { sort: string | null; after: string | null }[] = [];
  await page.route('**/_emulator/api/images?*', (route) => {
    const url = new URL(route.request().url());
    requests.push({ sort: url.searchParams.get('sort'), after: url.searchParams.get('after') });
    url.searchParams.set('limit', '2');
    return route.continue({ url: url.toString() });
  });
  await page.goto(`${emulator.endpoint}/_emulator/console/${hashOf.repository(repository)}`);
  await imagesTable(page).waitFor();
  return { page, requests };
}

/** The text of each cell of the table's body rows, as it reads on screen. */
async function tableRows(page: Page, caption: RegExp): Promise<string[][]> {
  const table = page.getByRole('table', { name: caption });
  await table.waitFor();
  await page.locator('[aria-busy="true"]').waitFor({ state: 'detached' });
  return table.locator('tbody tr').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('th, td')].map((cell) => (cell as unknown as { innerText: string }).innerText.replace(/\s+/g, ' ').trim())));
}

function imagesTable(page: Page) {
  return page.getByRole('table', { name: /^Images of/ });
}

/** A JavaScript expression evaluated in the page (text, since the tests compile without the DOM's types). */
function inPage<T = unknown>(page: Page, expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>;
}

/** Presses Tab until the focused element matches `selector` (at most `limit` times); throws when it never does. */
async function tabTo(page: Page, selector: string, limit = 40): Promise<void> {
  for (let step = 0; step < limit; step += 1) {
    await page.keyboard.press('Tab');
    if (await inPage<boolean>(page, `document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'ecr-console-browser-'));
  tools = containerTools(work);
  images = await makeTestImages(path.join(work, 'images'));
  emulator = await startEmulatorProcess({ memory: true, args: ['--iam', 'soft', '--account-id', ACCOUNT, '--region', REGION] });
  ecr = ecrClientWith(emulator.endpoint, rootKeys(ACCOUNT), REGION);
  await seed();
  browser = await launchConsoleBrowser(emulator.endpoint);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await emulator?.stop();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('the registry page', () => {
  it('lists every repository with its image count, and a storage bar for each', async () => {
    const page = await browser.open(hashOf.registry());
    const rows = await tableRows(page, /Repositories in/);
    expect(rows.map((cells) => [cells[0], cells[1]])).toEqual([
      [SCRATCH, '1'],
      [APP, '3'],
      [MULTI, '3'],
    ]);
    expect(await page.locator('.bar-chart li .bar-label').allTextContents()).toEqual([SCRATCH, APP, MULTI]);
    // The bar lengths are CSS custom properties set through the CSSOM: drawn, so the CSP did not block them.
    const widths = await page.locator('.bar-chart .bar').evaluateAll((bars) => bars.map((bar) => bar.getBoundingClientRect().width));
    const track = await page.locator('.bar-chart .bar-track').first().evaluate((element) => element.getBoundingClientRect().width);
    expect(widths[2]).toBeCloseTo(track, 0);
    expect(widths[0]! / widths[2]!).toBeCloseTo(1 / 3, 2);
    await saveScreenshot(page, ARTIFACTS, 'registry', docsCopy);
  });

  it('picks another registry from the ones /registries lists', async () => {
    const page = await browser.open(hashOf.registry());
    const picker = page.getByLabel('Registry (account and Region)');
    await picker.locator('option', { hasText: OTHER_REGION }).waitFor({ state: 'attached' });
    expect(await picker.locator('option').allTextContents()).toEqual([`${ACCOUNT} · ${OTHER_REGION}`, `${ACCOUNT} · ${REGION}`]);
    await picker.selectOption(`${ACCOUNT}/${OTHER_REGION}`);
    await page.waitForURL(`**${hashOf.registry(OTHER_REGION)}`);
    expect((await tableRows(page, new RegExp(`Repositories in ${ACCOUNT} · ${OTHER_REGION}`))).map((cells) => cells[0])).toEqual([MIRROR]);
  });

  it('searches repositories by part of the name', async () => {
    const page = await browser.open(hashOf.registry());
    await page.getByRole('table', { name: /Repositories in/ }).waitFor();
    await page.getByLabel('Search repositories').fill('multi');
    expect((await tableRows(page, /whose name contains “multi”/)).map((cells) => cells[0])).toEqual([MULTI]);
  });
});

describe('the image page', () => {
  it('shows the layers and config with the sizes of the manifest, summing to the imageSizeInBytes of DescribeImages', async () => {
    const page = await browser.open(hashOf.image(APP, images.single.digest));
    const manifest = JSON.parse(layoutBlob(images.single.layout, images.single.digest)) as { config: { size: number }; layers: { size: number }[] };
    const rows = await tableRows(page, /layer.* and the config/);
    expect(rows.map((cells) => Number(cells[4]))).toEqual([...manifest.layers.map((layer) => layer.size), manifest.config.size]);
    const total = await page.locator('[data-column="total-bytes"]').textContent();
    expect(Number(total)).toBe((await describedImage(APP, images.single.digest)).imageSizeInBytes);
    expect(await page.locator('.stacked .segment').count()).toBe(manifest.layers.length + 1);
    await saveScreenshot(page, ARTIFACTS, 'image', docsCopy);
  });

  it('shows the manifest, collapsed until asked, as the pretty-printed JSON skopeo pushed', async () => {
    const page = await browser.open(hashOf.image(APP, images.single.digest));
    const pushed = layoutBlob(images.single.layout, images.single.digest);
    const json = page.getByLabel('The manifest as JSON');
    await page.getByText(/^Show the manifest as JSON/).waitFor();
    expect(await json.isVisible()).toBe(false);
    await page.getByText(/^Show the manifest as JSON/).click();
    expect(await json.isVisible()).toBe(true);
    expect(await json.textContent()).toBe(JSON.stringify(JSON.parse(pushed), null, 2));
  });

  it('lists the scan findings by severity with the CVE table DescribeImageScanFindings reports', async () => {
    const page = await browser.open(hashOf.image(APP, images.single.digest));
    const { imageScanFindings } = await ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: APP, imageId: { imageDigest: images.single.digest } }));
    const findings = imageScanFindings!.findings!;
    expect(findings.length).toBeGreaterThan(0);
    const rows = await tableRows(page, /^Findings/);
    expect(rows.map((cells) => cells[0])).toEqual(findings.map((finding) => finding.name));
    const packageOf = (finding: (typeof findings)[number]) => finding.attributes!.find((attribute) => attribute.key === 'package_name')!.value;
    expect(rows.map((cells) => cells[2])).toEqual(findings.map(packageOf));
    for (const [severity, count] of Object.entries(imageScanFindings!.findingSeverityCounts!)) {
      expect(await page.locator(`.severity-summary [data-severity="${severity}"] .count`).textContent()).toBe(String(count));
    }
  });

  it('lists the signature whose subject is the image, with its artifact type, linking to the signature and back', async () => {
    const page = await browser.open(hashOf.image(APP, images.single.digest));
    const rows = await tableRows(page, /^Artifacts whose subject is this image/);
    expect(rows).toEqual([[`Cosign signature ${SIGNATURE_TYPE}`, expect.stringContaining(signatureDigest.slice(0, 19)), 'OCI manifest', expect.stringMatching(/ B$/)]]);
    const referrers = page.getByRole('table', { name: /^Artifacts whose subject is this image/ });
    await referrers.getByRole('link', { name: new RegExp(signatureDigest.slice(0, 19)) }).click();
    await page.waitForURL(`**${hashOf.image(APP, signatureDigest)}`);
    await page.getByRole('heading', { level: 1, name: /^Image sha256:/ }).waitFor();
    expect(await page.locator('.fact', { hasText: 'Artifact type' }).locator('dd').textContent()).toBe('Cosign signature');
    await page.locator('.fact', { hasText: 'Subject' }).getByRole('link').click();
    await page.waitForURL(`**${hashOf.image(APP, images.single.digest)}`);
  });

  it('shows an index with its platforms and the image size of each child, as DescribeImages reports it', async () => {
    const page = await browser.open(hashOf.image(MULTI, images.multi.digest));
    const rows = await tableRows(page, /The index lists/);
    expect(rows.map((cells) => cells[0])).toEqual(['linux/amd64', 'linux/arm64/v8']);
    const children = page.getByRole('table', { name: /The index lists/ }).locator('tbody tr');
    const childDigests = await children.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-digest')!));
    expect(childDigests).toEqual(images.multi.childDigests);
    const shownSizes = (await children.locator('[data-column="image-bytes"]').allTextContents()).map((text) => Number(text.replace(/[^0-9]/g, '')));
    const describedSizes = await Promise.all(childDigests.map(async (digest) => (await describedImage(MULTI, digest)).imageSizeInBytes));
    expect(shownSizes).toEqual(describedSizes);
    const index = JSON.parse(layoutBlob(images.multi.layout, images.multi.digest)) as { manifests: { size: number }[] };
    expect((await children.locator('[data-column="manifest-bytes"]').allTextContents()).map((text) => Number(text.replace(/[^0-9]/g, '')))).toEqual(index.manifests.map((child) => child.size));
    await saveScreenshot(page, ARTIFACTS, 'index', docsCopy);
  });

  it('links each platform of an index to its child image and its layers', async () => {
    const page = await browser.open(hashOf.image(MULTI, images.multi.digest));
    await tableRows(page, /The index lists/);
    await page.getByRole('link', { name: 'linux/arm64/v8' }).click();
    await page.waitForURL(`**${hashOf.image(MULTI, images.multi.childDigests[1]!)}`);
    const layers = await tableRows(page, /layers and the config/);
    expect(layers).toHaveLength(3);
    expect(await page.getByText('linux/arm64/v8').first().isVisible()).toBe(true);
  });

  it('starts a scan after confirmation and shows the findings it found', async () => {
    const child = images.multi.childDigests[0]!;
    const page = await browser.open(hashOf.image(MULTI, child));
    await page.getByText('This image was never scanned').waitFor();
    await page.getByRole('button', { name: 'Start scan' }).click();
    await page.getByRole('dialog', { name: 'Start a scan?' }).getByRole('button', { name: 'Start scan' }).click();
    await page.getByText(/^Scanned at/).waitFor();
    const { imageScanFindings } = await ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: MULTI, imageId: { imageDigest: child } }));
    const names = (imageScanFindings!.findings ?? []).map((finding) => finding.name);
    if (names.length === 0) await page.getByText('The scan found nothing.').waitFor();
    else expect((await tableRows(page, /^Findings/)).map((cells) => cells[0])).toEqual(names);
  });
});

describe('the repository page', () => {
  it('shows the pull command, both policies and the lifecycle preview: what would expire and which rule selects it', async () => {
    const page = await browser.open(hashOf.repository(APP));
    await page.getByText(`docker pull ${emulator.registryHost}/${APP}:latest`).waitFor();
    expect(await page.getByLabel('The lifecycle policy as JSON').textContent()).toBe(JSON.stringify(LIFECYCLE_POLICY, null, 2));
    const rules = await tableRows(page, /^Rules/);
    expect(rules.map((cells) => [cells[0], cells[6]])).toEqual([
      ['1', '0'],
      ['2', '1'],
    ]);
    const results = await tableRows(page, /What the policy would do now/);
    // imageCountMoreThan 1 over the tagged images keeps the newest (legacy) and expires the single image; the untagged
    // signature was pushed less than a day ago, so rule 1 selects nothing.
    expect(results).toEqual([[expect.stringContaining(images.single.digest.slice(0, 19)), 'latest v1', expect.any(String), 'STANDARD', 'expire', 'rule 2: Keep the newest tagged image only']]);
    await saveScreenshot(page, ARTIFACTS, 'repository', docsCopy);
  });

  it('lists the images newest push first with tags, sizes and media types as DescribeImages does', async () => {
    const page = await browser.open(hashOf.repository(APP));
    const rows = await tableRows(page, /^Images of team\/app, newest push first/);
    const described = await newestFirst(APP);
    expect(await rowDigests(page)).toEqual(described.map((image) => image.digest));
    expect(rows.map((cells) => cells[0])).toEqual(described.map((image) => (image.tags.length === 0 ? 'untagged' : image.tags.map((tag) => `${tag} ×`).join(' '))));
    const mediaTypes: Record<string, string> = { [v2s2Digest]: 'Docker v2 manifest Docker image config', [images.single.digest]: 'OCI manifest OCI image config', [signatureDigest]: 'OCI manifest Cosign signature' };
    expect(rows.map((cells) => cells[4])).toEqual(described.map((image) => mediaTypes[image.digest]));
  });

  it('filters the images by tag status', async () => {
    const page = await browser.open(hashOf.repository(MULTI));
    await imagesTable(page).waitFor();
    const described = await newestFirst(MULTI);
    await page.getByLabel('Tag status').selectOption('UNTAGGED');
    expect(await rowDigests(page)).toEqual(described.filter((image) => image.tags.length === 0).map((image) => image.digest));
    expect([...(await rowDigests(page))].sort()).toEqual([...images.multi.childDigests].sort());
    await page.getByLabel('Tag status').selectOption('TAGGED');
    expect(await rowDigests(page)).toEqual([images.multi.digest]);
  });

  it('copies the docker pull command to the clipboard', async () => {
    const page = await browser.open(hashOf.repository(APP), { permissions: ['clipboard-read', 'clipboard-write'] });
    await page.getByRole('button', { name: 'Copy the docker pull command' }).click();
    await page.getByRole('button', { name: 'Copy the docker pull command' }).getByText('Copied').waitFor();
    expect(await inPage(page, 'navigator.clipboard.readText()')).toBe(`docker pull ${emulator.registryHost}/${APP}:latest`);
  });

  it('pages through the images newest first with Next and Previous, passing next back as after', async () => {
    const { page, requests } = await openWithTwoPerPage(MULTI);
    const all = (await newestFirst(MULTI)).map((image) => image.digest);
    expect(await rowDigests(page)).toEqual(all.slice(0, 2));
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Page 2').waitFor();
    expect(await rowDigests(page)).toEqual(all.slice(2));
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Previous' }).click();
    await page.getByText('Page 1').waitFor();
    expect(await rowDigests(page)).toEqual(all.slice(0, 2));
    expect(requests.map((request) => request.sort)).toEqual(['pushedAt', 'pushedAt', 'pushedAt']);
    expect(requests[1]!.after).not.toBeNull();
  });

  it('sorts the images newest first by default (aria-sort descending on Pushed), and by digest from the Digest header', async () => {
    const page = await browser.open(hashOf.repository(APP));
    const header = (name: RegExp) => imagesTable(page).getByRole('columnheader', { name });
    const [newest, byDigest] = [(await newestFirst(APP)).map((image) => image.digest), (await imageDigests(APP)).map((image) => image.digest)];
    expect(newest).not.toEqual(byDigest);
    await page.getByRole('table', { name: 'Images of team/app, newest push first' }).waitFor();
    expect(await rowDigests(page)).toEqual(newest);
    expect(await header(/Pushed/).getAttribute('aria-sort')).toBe('descending');
    expect(await header(/Digest/).getAttribute('aria-sort')).toBeNull();
    await page.getByRole('button', { name: /^Digest/ }).click();
    await page.getByRole('table', { name: 'Images of team/app, by digest' }).waitFor();
    expect(await rowDigests(page)).toEqual(byDigest);
    expect(await header(/Digest/).getAttribute('aria-sort')).toBe('ascending');
    expect(await header(/Pushed/).getAttribute('aria-sort')).toBeNull();
    await page.getByRole('button', { name: /^Pushed/ }).click();
    await page.getByRole('table', { name: 'Images of team/app, newest push first' }).waitFor();
    expect(await header(/Pushed/).getAttribute('aria-sort')).toBe('descending');
  });

  it('starts again at page 1, without the old order\'s after, when the order changes', async () => {
    const { page, requests } = await openWithTwoPerPage(MULTI);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Page 2').waitFor();
    await page.getByRole('button', { name: /^Digest/ }).click();
    await page.getByRole('table', { name: 'Images of team/multi, by digest' }).waitFor();
    await page.getByText('Page 1').waitFor();
    expect(await rowDigests(page)).toEqual((await imageDigests(MULTI)).map((image) => image.digest).slice(0, 2));
    expect(requests.slice(2)).toEqual([{ sort: 'digest', after: null }]);
  });

  it('shows an API error in an alert', async () => {
    browser.allowConsoleError(/status of 404/);
    const page = await browser.open(hashOf.repository('team/missing'));
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/team\/missing/);
  });
});

describe('the changes', () => {
  it('deletes a tag only after confirmation: Cancel keeps it, Delete removes it, and DescribeImages agrees', async () => {
    const page = await browser.open(hashOf.repository(APP));
    await page.getByRole('button', { name: 'Delete tag v1' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete tag v1?' });
    await dialog.waitFor();
    expect(await inPage(page, "document.activeElement?.closest('dialog') !== null && document.activeElement?.textContent")).toBe('Cancel');
    await saveScreenshot(page, ARTIFACTS, 'dialog', undefined, { isFullPage: false });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Cancelled: Delete tag v1.').waitFor();
    expect((await describedImage(APP, images.single.digest)).imageTags?.sort()).toEqual(['latest', 'v1']);
    await page.getByRole('button', { name: 'Delete tag v1' }).click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Deleted tag v1.').waitFor();
    await page.getByRole('button', { name: 'Delete tag v1' }).waitFor({ state: 'detached' });
    expect((await describedImage(APP, images.single.digest)).imageTags).toEqual(['latest']);
  });

  it('closes the confirmation with Escape and changes nothing', async () => {
    const page = await browser.open(hashOf.repository(SCRATCH));
    await page.getByRole('button', { name: 'Delete image' }).click();
    await page.getByRole('dialog', { name: 'Delete image?' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect((await imageDigests(SCRATCH)).map(({ digest, tags }) => ({ digest, tags }))).toEqual([{ digest: v2s2Digest, tags: ['old'] }]);
  });

  it('deletes an image after confirmation, and DescribeImages no longer lists it', async () => {
    const page = await browser.open(hashOf.repository(SCRATCH));
    await page.getByRole('button', { name: 'Delete image' }).click();
    await page.getByRole('dialog', { name: 'Delete image?' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByText(`Deleted image ${v2s2Digest}.`).waitFor();
    await page.getByText('No images in this repository.').waitFor();
    expect(await imageDigests(SCRATCH)).toEqual([]);
  });

  it('runs the lifecycle policy after confirmation: the image the preview listed expires, and DescribeImages agrees', async () => {
    const page = await browser.open(hashOf.repository(APP));
    await page.getByRole('table', { name: /What the policy would do now: 1 image/ }).waitFor();
    await page.getByRole('button', { name: 'Run lifecycle policy now' }).click();
    await page.getByRole('dialog', { name: 'Run the lifecycle policy?' }).getByRole('button', { name: 'Run policy' }).click();
    await page.getByText('Ran the lifecycle policy: 1 expired, 0 archived, 0 kept (an index still lists them).').waitFor();
    await page.getByText('The policy selects no image now.').waitFor();
    expect((await imageDigests(APP)).map(({ digest, tags }) => ({ digest, tags }))).toEqual(
      [
        { digest: v2s2Digest, tags: ['legacy'] },
        { digest: signatureDigest, tags: [] },
      ].sort((left, right) => left.digest.localeCompare(right.digest)),
    );
  });
});

describe('access', () => {
  it("shows the IAM user's would-be denial with its explanation, and the policy suggested for the user", async () => {
    const page = await browser.open('#/access');
    await page.getByLabel('Principal (ARN)').fill(user.arn);
    await page.getByLabel('Result').selectOption('would-be-denied');
    await page.locator('[aria-busy="true"]').waitFor({ state: 'detached' });
    const explanation = page.locator('tr.explanation-row', { hasText: 'ecr:DescribeImages' });
    await explanation.waitFor();
    expect(await explanation.textContent()).toContain(`User: ${user.arn} is not authorized to perform: ecr:DescribeImages on resource: arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${APP}`);
    expect(await page.locator('tbody tr[data-decision]:not(.explanation-row)').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-decision')))).not.toContain('allowed');
    const suggested = page.getByLabel(`Suggested policy for ${user.arn}`);
    await suggested.getByText('ecr:DescribeImages').waitFor();
    expect(JSON.parse((await suggested.textContent()) ?? '')).toMatchObject({ Version: '2012-10-17', Statement: expect.arrayContaining([expect.objectContaining({ Action: ['ecr:DescribeImages'] })]) });
    await inPage(page, 'document.activeElement.blur()');
    await saveScreenshot(page, ARTIFACTS, 'access', docsCopy);
  });

  it('says the console is a root view under --iam soft, and a pasted token makes it the token principal until Sign out', async () => {
    const page = await browser.open(hashOf.registry());
    const notice = page.getByRole('region', { name: 'Root view' });
    await notice.waitFor();
    expect(await notice.textContent()).toContain("You are viewing as the account root: under --iam enforce the console is an account root's view unless you sign in with a token");
    expect(await page.locator('.who-principal').textContent()).toBe(`arn:aws:iam::${ACCOUNT}:root`);
    await page.getByLabel(/Registry token/).fill(user.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.who-principal', { hasText: user.arn }).waitFor();
    expect(await notice.count()).toBe(0);
    await page.reload();
    await page.locator('.who-principal', { hasText: user.arn }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('.who-principal', { hasText: `arn:aws:iam::${ACCOUNT}:root` }).waitFor();
  });

  it("shows a refused token's message in an alert, and Sign out returns to the root view", async () => {
    browser.allowConsoleError(/status of 401/);
    const page = await browser.open(hashOf.registry());
    await page.getByLabel(/Registry token/).fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Sign-in failed' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('The authorization token is not valid.');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('.who-principal', { hasText: `arn:aws:iam::${ACCOUNT}:root` }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
  });
});

describe('keyboard, themes and zoom', () => {
  it('reaches the skip link with the first Tab, and Enter moves the focus to the main content', async () => {
    const page = await browser.open(hashOf.registry());
    await page.keyboard.press('Tab');
    expect(await inPage(page, 'document.activeElement?.textContent')).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await inPage(page, 'document.activeElement?.id')).toBe('main');
    expect(page.url()).toMatch(/#\/registry\//);
  });

  it('opens a repository from the list with Tab and Enter', async () => {
    const page = await browser.open(hashOf.registry());
    await page.getByRole('row', { name: new RegExp(MULTI) }).waitFor();
    await tabTo(page, `a[href="${hashOf.repository(MULTI)}"]`);
    await page.keyboard.press('Enter');
    await page.waitForURL(`**${hashOf.repository(MULTI)}`);
    await page.getByRole('heading', { level: 1, name: `Repository ${MULTI}` }).waitFor();
  });

  it('goes back to the previous page with the browser Back button', async () => {
    const page = await browser.open(hashOf.registry());
    await page.getByRole('link', { name: MULTI }).click();
    await page.getByRole('heading', { level: 1, name: `Repository ${MULTI}` }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: /^Registry/ }).waitFor();
    expect(page.url()).toMatch(new RegExp(`${hashOf.registry()}$`));
  });

  it('switches to the dark theme with a toggle button whose name stays "Dark theme" and whose aria-pressed and switch say it is on', async () => {
    const page = await browser.open(hashOf.repository(APP));
    const toggle = page.getByRole('button', { name: 'Dark theme', exact: true });
    const background = () => inPage<string>(page, 'getComputedStyle(document.documentElement).backgroundColor');
    // Where the knob sits in its switch: at the start when off, at the end when on.
    const knobOffset = () => inPage<number>(page, "document.querySelector('.theme-toggle .knob').getBoundingClientRect().left - document.querySelector('.theme-toggle .switch').getBoundingClientRect().left");
    const light = await background();
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    const offOffset = await knobOffset();
    await toggle.click();
    await page.locator('.theme-toggle[aria-pressed="true"]').waitFor();
    expect(await background()).not.toBe(light);
    expect(await knobOffset()).toBeGreaterThan(offOffset + 8);
    await page.reload();
    await imagesTable(page).waitFor();
    expect(await inPage(page, "document.documentElement.getAttribute('data-theme')")).toBe('dark');
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await saveScreenshot(page, ARTIFACTS, 'dark', undefined, { isFullPage: false });
    await toggle.click();
    await page.locator('.theme-toggle[aria-pressed="false"]').waitFor();
    expect(await background()).toBe(light);
    expect(await knobOffset()).toBe(offOffset);
  });

  it.each<[string, () => string]>([
    ['registry', () => hashOf.registry()],
    ['repository', () => hashOf.repository(APP)],
    ['image', () => hashOf.image(MULTI, images.multi.childDigests[0]!)],
    ['access', () => '#/access'],
  ])('lays the %s page out at 200 %% zoom without scrolling sideways', async (_name, hash) => {
    // 200 % of a 1280 px window: 640 CSS pixels wide at a device scale of 2.
    const page = await browser.open(hash(), { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });
    await page.locator('table').first().waitFor();
    expect(await inPage<number>(page, 'document.documentElement.scrollWidth')).toBeLessThanOrEqual(640);
  });
});

describe('the console under --iam enforce', () => {
  const OWNER = '111111111111';
  /** Readable by the user; holds the image whose delete IAM refuses. */
  const OPEN = 'team/open';
  /** Its repository policy denies the user everything, so the user may not even describe it. */
  const SECRET = 'team/secret';
  let enforced: EmulatorProcess;
  let enforcedBrowser: ConsoleBrowser;
  let owner: ECRClient;
  let reader: { arn: string; token: string };
  let openDigest: string;

  beforeAll(async () => {
    enforced = await startEmulatorProcess({ memory: true, args: ['--iam', 'enforce', '--account-id', OWNER, '--region', REGION] });
    owner = ecrClientWith(enforced.endpoint, rootKeys(OWNER), REGION);
    for (const repositoryName of [OPEN, SECRET]) await owner.send(new CreateRepositoryCommand({ repositoryName }));
    openDigest = (await registryClient(enforced.endpoint, await basicAuthorization(owner)).pushImage(OPEN, 'v1')).digest;
    const iam = iamClient(enforced.endpoint, rootKeys(OWNER));
    const created = await createUserWithKey(iam, 'reader');
    await iam.send(new AttachUserPolicyCommand({ UserName: 'reader', PolicyArn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly' }));
    const denyReader = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: { AWS: created.arn }, Action: 'ecr:*' }] };
    await owner.send(new SetRepositoryPolicyCommand({ repositoryName: SECRET, policyText: JSON.stringify(denyReader) }));
    reader = { arn: created.arn, token: await registryPassword(ecrClientWith(enforced.endpoint, created.keys, REGION)) };
    enforcedBrowser = await launchConsoleBrowser(enforced.endpoint);
    enforcedBrowser.allowConsoleError(/status of 403/);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await enforcedBrowser?.close();
    await enforced?.stop();
  });

  async function signIn(hash: string): Promise<Page> {
    const page = await enforcedBrowser.open(hash);
    await page.getByLabel(/Registry token/).fill(reader.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.who-principal', { hasText: reader.arn }).waitFor();
    return page;
  }

  it('says in the root view, before a sign-in, that the emulator enforces IAM', async () => {
    const page = await enforcedBrowser.open(`#/registry/${OWNER}/${REGION}`);
    const notice = page.getByRole('region', { name: 'Root view' });
    await notice.waitFor();
    expect(await notice.textContent()).toContain('This emulator runs with --iam enforce');
    expect(await page.locator('.who .badge').textContent()).toBe('IAM enforce');
    expect((await tableRows(page, /Repositories in/)).map((cells) => cells[0])).toEqual([OPEN, SECRET]);
  });

  it('lists only the repositories a read-only user may describe once it signs in with its token', async () => {
    const page = await signIn(`#/registry/${OWNER}/${REGION}`);
    await page.getByRole('table', { name: /Repositories in/ }).getByRole('link', { name: OPEN }).waitFor();
    expect((await tableRows(page, /Repositories in/)).map((cells) => cells[0])).toEqual([OPEN]);
  });

  it("asks before the read-only user's delete, then shows IAM's 403 message in an alert, and the image stays", async () => {
    const page = await signIn(`#/repository/${OWNER}/${REGION}/${encodeURIComponent(OPEN)}`);
    await page.getByRole('button', { name: `Delete image ${openDigest}` }).click();
    await page.getByRole('dialog', { name: 'Delete image?' }).getByRole('button', { name: 'Delete' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'The change failed' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain(
      `User: ${reader.arn} is not authorized to perform: ecr:BatchDeleteImage on resource: arn:aws:ecr:${REGION}:${OWNER}:repository/${OPEN} because no identity-based policy allows the ecr:BatchDeleteImage action`,
    );
    await saveScreenshot(page, ARTIFACTS, 'enforce-denied', undefined, { isFullPage: false });
    const { imageDetails } = await owner.send(new DescribeImagesCommand({ repositoryName: OPEN }));
    expect(imageDetails!.map((detail) => detail.imageDigest)).toEqual([openDigest]);
    expect(enforcedBrowser.problems()).toEqual([]);
  });
});

describe('the whole run', () => {
  it('logged no console error, page error or CSP violation on any page', () => {
    expect(browser.problems()).toEqual([]);
  });
});

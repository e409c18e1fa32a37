// The Repository page: its copyable pull command, its images (newest push first as the AWS console lists them, or by
// digest; paged with `next`, filtered by tag status) with the delete actions, its settings and URI, its two policies,
// and the lifecycle preview.
import { html, useState } from './vendor/htm-preact.js';
import { apiGet } from './api.js';
import { useConfirmedAction } from './confirm-dialog.js';
import { CommandLine, CopyButton, Digest } from './copy-button.js';
import { Breadcrumbs } from './breadcrumbs.js';
import { formatBytes, formatExactBytes, formatTime, mediaTypeLabel, prettyJson } from './format.js';
import { SeverityCounts, TagList } from './image-badges.js';
import { LifecyclePreview } from './lifecycle-preview.js';
import { LoadStatus, usePageTitle, useLoad } from './load-state.js';
import { imageHref } from './routes.js';
import { Facts, ScrollTable, SortHeader } from './table-view.js';

const PAGE_SIZES = [10, 25, 50, 100];
/** The API's orders, each in one direction: `pushedAt` newest first (this page's default), `digest` ascending. */
const SORTS = {
  pushedAt: { key: 'pushedAt', direction: 'descending', caption: 'newest push first', title: 'Sort by push time, newest first' },
  digest: { key: 'digest', direction: 'ascending', caption: 'by digest', title: 'Sort by digest' },
};

function ImageRows({ scope, repository, images, onDeleteTag, onDeleteImage }) {
  return images.map(
    (image) => html`
      <tr key=${image.digest} data-digest=${image.digest}>
        <td><${TagList} tags=${image.tags} onDeleteTag=${onDeleteTag} /></td>
        <td><${Digest} digest=${image.digest} href=${imageHref(scope, repository, image.digest)} /></td>
        <td class="number">
          <span class="type-line" data-column="size" title=${formatExactBytes(image.sizeInBytes)}>${formatBytes(image.sizeInBytes)}</span>
          <span class="type-line">${image.storageClass.toLowerCase()}</span>
        </td>
        <td>
          <time class="type-line" datetime=${image.pushedAt} title=${image.pushedAt}>${formatTime(image.pushedAt)}</time>
          <span class="type-line">${image.lastPulledAt !== undefined ? html`<time datetime=${image.lastPulledAt} title=${image.lastPulledAt}>${formatTime(image.lastPulledAt)}</time>` : 'never pulled'}</span>
        </td>
        <td>
          <span class="type-line" title=${image.mediaType}>${mediaTypeLabel(image.mediaType)}</span>
          ${image.artifactType !== undefined ? html`<span class="type-line" title=${image.artifactType}>${mediaTypeLabel(image.artifactType)}</span>` : null}
        </td>
        <td>${image.platforms !== undefined ? image.platforms.map((platform) => html`<span key=${platform} class="platform">${platform}</span>`) : '—'}</td>
        <td><${SeverityCounts} counts=${image.scan?.severityCounts} isCompact=${true} /></td>
        <td><button type="button" class="small danger" aria-label=${`Delete image ${image.digest}`} onClick=${() => onDeleteImage(image)}>Delete</button></td>
      </tr>
    `,
  );
}

function ImagesSection({ scope, repository, refreshKey, action }) {
  const [tagStatus, setTagStatus] = useState('ANY');
  const [sortKey, setSortKey] = useState('pushedAt');
  const [limit, setLimit] = useState(50);
  // The `after` of each page shown so far belong to one listing (order, filter, page size): a new one starts at
  // page 1 in the same render, since a `next` of one order is no position in another and must never be sent with it.
  const listing = JSON.stringify([sortKey, tagStatus, limit]);
  const [paging, setPaging] = useState({ listing, afters: [undefined] });
  const afters = paging.listing === listing ? paging.afters : [undefined];
  const setAfters = (next) => setPaging({ listing, afters: next });
  const after = afters[afters.length - 1];

  const page = useLoad(
    (signal) => apiGet('/images', { account: scope.accountId, region: scope.region, repository, tagStatus, sort: sortKey, limit, after }, { signal }),
    [scope.accountId, scope.region, repository, tagStatus, sortKey, limit, after, refreshKey],
  );
  // The order of the rows shown: the one the API says it used (while the next page loads, the last answer's).
  const sort = SORTS[page.data?.sort] ?? SORTS[sortKey];
  const deleteTag = (tag) =>
    action.run({
      title: `Delete tag ${tag}?`,
      message: html`The tag <code>${tag}</code> is removed from <code>${repository}</code>; the image stays, with its other tags.`,
      confirmLabel: 'Delete',
      path: '/delete-tag',
      body: { account: scope.accountId, region: scope.region, repository, tag },
      describe: () => `Deleted tag ${tag}.`,
    });
  const deleteImage = (image) =>
    action.run({
      title: 'Delete image?',
      message: html`The image <code>${image.digest}</code>${image.tags.length > 0 ? html` and its tags ${image.tags.join(', ')}` : ''} are deleted from <code>${repository}</code>.`,
      confirmLabel: 'Delete',
      path: '/delete-image',
      body: { account: scope.accountId, region: scope.region, repository, digest: image.digest },
      describe: () => `Deleted image ${image.digest}.`,
    });
  const images = page.data?.images ?? [];

  return html`
    <section aria-labelledby="images-title" aria-busy=${page.isLoading ? 'true' : 'false'}>
      <h2 id="images-title">Images</h2>
      <div class="toolbar">
        <div class="field">
          <label for="tag-status">Tag status</label>
          <select id="tag-status" value=${tagStatus} onChange=${(event) => setTagStatus(event.currentTarget.value)}>
            <option value="ANY">Any</option>
            <option value="TAGGED">Tagged</option>
            <option value="UNTAGGED">Untagged</option>
          </select>
        </div>
        <div class="field">
          <label for="image-page-size">Per page</label>
          <select id="image-page-size" value=${String(limit)} onChange=${(event) => setLimit(Number(event.currentTarget.value))}>
            ${PAGE_SIZES.map((size) => html`<option key=${size} value=${String(size)}>${size}</option>`)}
          </select>
        </div>
      </div>
      <${LoadStatus} state=${page} what="images" />
      ${page.data !== undefined && images.length === 0
        ? html`<p class="empty">${tagStatus === 'ANY' ? 'No images in this repository.' : `No ${tagStatus.toLowerCase()} images.`}</p>`
        : null}
      ${images.length > 0
        ? html`
            <${ScrollTable} id="images-caption" caption=${`Images of ${repository}, ${sort.caption}`} className="images">
              <thead>
                <tr>
                  <th scope="col">Tags</th>
                  <${SortHeader} label="Digest" sortKey="digest" title=${SORTS.digest.title} sort=${sort} onSort=${setSortKey} />
                  <th scope="col" class="number">Size<span class="type-line">storage class</span></th>
                  <${SortHeader} label="Pushed" detail="last pulled" sortKey="pushedAt" title=${SORTS.pushedAt.title} sort=${sort} onSort=${setSortKey} />
                  <th scope="col">Media type<span class="type-line">artifact type</span></th>
                  <th scope="col">Platforms</th>
                  <th scope="col">Scan findings</th>
                  <th scope="col"><span class="visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                <${ImageRows} scope=${scope} repository=${repository} images=${images} onDeleteTag=${deleteTag} onDeleteImage=${deleteImage} />
              </tbody>
            <//>
          `
        : null}
      ${page.data !== undefined
        ? html`
            <nav class="pager" aria-label="Image pages">
              <button type="button" disabled=${afters.length === 1} onClick=${() => setAfters(afters.slice(0, -1))}>Previous</button>
              <span>Page ${afters.length}</span>
              <button type="button" disabled=${page.data.next === undefined} onClick=${() => setAfters([...afters, page.data.next])}>Next</button>
            </nav>
          `
        : null}
    </section>
  `;
}

function PolicyText({ policy, what }) {
  if (policy.isHidden) return html`<p class="note">You may not read the ${what} (no ecr:Get${what === 'repository policy' ? 'Repository' : 'Lifecycle'}Policy).</p>`;
  if (policy.text === null) return html`<p class="empty">No ${what}.</p>`;
  return html`<pre class="json" tabindex="0" aria-label=${`The ${what} as JSON`}>${prettyJson(policy.text)}</pre>`;
}

export function RepositoryPage({ scope, repository }) {
  usePageTitle(`Repository ${repository}`);
  const [refreshKey, setRefreshKey] = useState(0);
  const refresh = () => setRefreshKey((value) => value + 1);
  const action = useConfirmedAction(refresh);
  // Which repository an answer is of: after a link to another one, the last one's answer is not shown under its name.
  const identity = `${scope.accountId}/${scope.region}/${repository}`;
  const details = useLoad(
    async (signal) => ({ ...(await apiGet('/repository', { account: scope.accountId, region: scope.region, name: repository }, { signal })), loadedFor: identity }),
    [scope.accountId, scope.region, repository, refreshKey],
  );
  const data = details.data?.loadedFor === identity ? details.data : undefined;
  const runLifecycle = () =>
    action.run({
      title: 'Run the lifecycle policy?',
      message: html`The lifecycle policy of <code>${repository}</code> is applied now, as ECR does within a day: the images the preview lists are expired or archived.`,
      confirmLabel: 'Run policy',
      path: '/run-lifecycle',
      body: { account: scope.accountId, region: scope.region, repository },
      describe: (result) => `Ran the lifecycle policy: ${result.expired.length} expired, ${result.archived.length} archived, ${result.kept.length} kept (an index still lists them).`,
    });

  return html`
    <${Breadcrumbs} scope=${scope} repository=${repository} />
    <h1>Repository <span class="name">${repository}</span></h1>
    <${LoadStatus} state=${details} what="the repository" />
    ${action.dialog}
    ${action.outcome}
    ${data !== undefined
      ? html`
          <${CommandLine} command=${data.pullCommand} label="Copy the docker pull command" />
          <${ImagesSection} scope=${scope} repository=${repository} refreshKey=${refreshKey} action=${action} />
          <section aria-labelledby="summary-title">
            <h2 id="summary-title">Details</h2>
            <${Facts}
              className="compact"
              items=${[
                ['Images', String(data.imageCount)],
                ['Total size', html`<span title=${formatExactBytes(data.sizeInBytes)}>${formatBytes(data.sizeInBytes)}</span>`],
                ['Last push', formatTime(data.lastPushedAt)],
                ['Created', formatTime(data.createdAt)],
                ['Tag mutability', data.imageTagMutability === 'IMMUTABLE' ? 'Immutable' : 'Mutable'],
                ['Scan on push', data.scanOnPush ? 'On' : 'Off'],
                ['Encryption', data.kmsKey !== undefined ? `${data.encryptionType} (${data.kmsKey})` : data.encryptionType],
              ]}
            />
            <${Facts}
              className="wide"
              items=${[
                ['URI', html`<code>${data.uri}</code> <${CopyButton} text=${data.uri} label="Copy the repository URI" />`],
                ['ARN', html`<code>${data.arn}</code> <${CopyButton} text=${data.arn} label="Copy the repository ARN" />`],
              ]}
            />
          </section>
          <section aria-labelledby="policies-title">
            <h2 id="policies-title">Policies</h2>
            <div class="columns">
              <div>
                <h3>Repository policy</h3>
                <${PolicyText} policy=${data.repositoryPolicy} what="repository policy" />
              </div>
              <div>
                <h3>Lifecycle policy</h3>
                <${PolicyText} policy=${data.lifecyclePolicy} what="lifecycle policy" />
              </div>
            </div>
          </section>
          <section aria-labelledby="lifecycle-title">
            <h2 id="lifecycle-title">Lifecycle preview</h2>
            ${data.lifecyclePolicy.text === null
              ? html`<p class="empty">No lifecycle policy: nothing expires.</p>`
              : html`
                  <${LifecyclePreview} scope=${scope} repository=${repository} refreshKey=${refreshKey} />
                  <p><button type="button" class="danger" onClick=${runLifecycle}>Run lifecycle policy now</button></p>
                `}
          </section>
        `
      : null}
  `;
}

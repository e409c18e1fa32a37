// The Image page: one manifest's facts and pull command, its config (platform, entrypoint, env, history) and layers
// with a stacked size bar, or an index's children by platform; its referrers, its scan findings, and the manifest
// itself. The actions: start a scan, delete the image.
import { html, useState } from './vendor/htm-preact.js';
import { apiGet } from './api.js';
import { SeriesSwatch, StackedBar } from './charts.js';
import { useConfirmedAction } from './confirm-dialog.js';
import { CommandLine, CopyButton, Digest } from './copy-button.js';
import { formatBytes, formatExactBytes, formatShare, formatTime, mediaTypeLabel, prettyJson, shortDigest, SEVERITIES } from './format.js';
import { LoadStatus, usePageTitle, useLoad } from './load-state.js';
import { Breadcrumbs } from './breadcrumbs.js';
import { SeverityCounts } from './image-badges.js';
import { imageHref, repositoryHref } from './routes.js';
import { Facts, ScrollTable } from './table-view.js';

const commandText = (value) => (Array.isArray(value) ? html`<code>${JSON.stringify(value)}</code>` : html`<span class="muted">none</span>`);

function ConfigSection({ config }) {
  const hasDocument = config.history !== undefined;
  const labels = Object.entries(config.labels ?? {});
  return html`
    <section aria-labelledby="config-title">
      <h2 id="config-title">Config</h2>
      <${Facts}
        items=${[
          ['Digest', html`<${Digest} digest=${config.digest} />`],
          ['Media type', html`<span title=${config.mediaType}>${mediaTypeLabel(config.mediaType)}</span>`],
          ['Size', formatExactBytes(config.sizeInBytes)],
          ...(hasDocument
            ? [
                ['Platform', config.platform ?? '—'],
                ['Created', html`<time datetime=${config.created}>${formatTime(config.created)}</time>`],
                ['Entrypoint', commandText(config.entrypoint)],
                ['Cmd', commandText(config.cmd)],
                ['Working dir', config.workingDir !== null ? html`<code>${config.workingDir}</code>` : html`<span class="muted">default (/)</span>`],
                ['User', config.user !== null ? html`<code>${config.user}</code>` : html`<span class="muted">default (root)</span>`],
              ]
            : []),
        ]}
      />
      ${hasDocument
        ? html`
            <h3>Environment</h3>
            ${config.env.length === 0 ? html`<p class="empty">No environment variables.</p>` : html`<ul class="env">${config.env.map((line) => html`<li key=${line}><code>${line}</code></li>`)}</ul>`}
            ${labels.length > 0
              ? html`
                  <${ScrollTable} id="labels-caption" caption="Labels">
                    <thead><tr><th scope="col">Label</th><th scope="col">Value</th></tr></thead>
                    <tbody>${labels.map(([name, value]) => html`<tr key=${name}><td><code>${name}</code></td><td>${String(value)}</td></tr>`)}</tbody>
                  <//>
                `
              : null}
            <${ScrollTable} id="history-caption" caption="History">
              <thead><tr><th scope="col">Created</th><th scope="col">Created by</th><th scope="col">Layer</th></tr></thead>
              <tbody>
                ${config.history.map(
                  (step, position) => html`
                    <tr key=${position}>
                      <td><time datetime=${step.created}>${formatTime(step.created)}</time></td>
                      <td><code class="wrap">${step.createdBy}</code>${step.comment !== undefined ? html` <span class="muted">${step.comment}</span>` : null}</td>
                      <td>${step.isEmptyLayer ? 'none (metadata only)' : 'adds a layer'}</td>
                    </tr>
                  `,
                )}
              </tbody>
            <//>
          `
        : html`<p class="note">The config document is not shown: it is not an image config, is larger than 1 MiB, or is not in this repository.</p>`}
    </section>
  `;
}

function LayersSection({ image }) {
  const parts = [
    ...image.layers.map((layer, position) => ({ key: `${position}:${layer.digest}`, label: `Layer ${position + 1}`, ...layer })),
    { key: 'config', label: 'Config', ...image.config },
  ];
  const total = parts.reduce((sum, part) => sum + part.sizeInBytes, 0);
  return html`
    <section aria-labelledby="layers-title">
      <h2 id="layers-title">Layers</h2>
      <${StackedBar} label="Share of each layer and the config in the image's size" segments=${parts} />
      <${ScrollTable} id="layers-caption" caption=${`${image.layers.length} layer${image.layers.length === 1 ? '' : 's'} and the config: ${formatBytes(total)} in all`} className="layers">
        <thead>
          <tr><th scope="col">Part</th><th scope="col">Digest</th><th scope="col">Media type</th><th scope="col" class="number">Size</th><th scope="col" class="number">Bytes</th><th scope="col" class="number">Share</th></tr>
        </thead>
        <tbody>
          ${parts.map(
            (part, position) => html`
              <tr key=${part.key} data-part=${part.key === 'config' ? 'config' : 'layer'}>
                <th scope="row"><${SeriesSwatch} position=${position} /> ${part.label}${part.isForeign ? ' (foreign)' : ''}</th>
                <td><${Digest} digest=${part.digest} /></td>
                <td title=${part.mediaType}>${mediaTypeLabel(part.mediaType)}</td>
                <td class="number">${formatBytes(part.sizeInBytes)}</td>
                <td class="number" data-column="bytes">${part.sizeInBytes}</td>
                <td class="number">${formatShare(total === 0 ? 0 : part.sizeInBytes / total)}</td>
              </tr>
            `,
          )}
        </tbody>
        <tfoot>
          <tr><th scope="row">Total</th><td colspan="2">${total === image.sizeInBytes ? "the image's size" : html`the image's size is ${formatExactBytes(image.sizeInBytes)}`}</td><td class="number">${formatBytes(total)}</td><td class="number" data-column="total-bytes">${total}</td><td class="number">100.0 %</td></tr>
        </tfoot>
      <//>
    </section>
  `;
}

/** An index's children: each child manifest's own size, and, for a child in this repository, its image's size. */
function ChildrenSection({ scope, repository, image }) {
  return html`
    <section aria-labelledby="children-title">
      <h2 id="children-title">Platforms</h2>
      <${ScrollTable} id="children-caption" caption=${`The index lists ${image.children.length} manifest${image.children.length === 1 ? '' : 's'}`} className="children">
        <thead>
          <tr>
            <th scope="col">Platform</th>
            <th scope="col">Manifest</th>
            <th scope="col">Media type</th>
            <th scope="col" class="number">Image size<span class="type-line">config and layers</span></th>
            <th scope="col" class="number">Manifest size</th>
            <th scope="col">In this repository</th>
          </tr>
        </thead>
        <tbody>
          ${image.children.map(
            (child) => html`
              <tr key=${child.digest} data-digest=${child.digest}>
                <th scope="row">${child.isPresent ? html`<a href=${imageHref(scope, repository, child.digest)}>${child.platform ?? 'unknown platform'}</a>` : (child.platform ?? 'unknown platform')}</th>
                <td><${Digest} digest=${child.digest} /></td>
                <td title=${child.mediaType}>${mediaTypeLabel(child.mediaType)}</td>
                <td class="number">
                  ${child.imageSizeInBytes !== undefined
                    ? html`<span class="type-line">${formatBytes(child.imageSizeInBytes)}</span><span class="type-line" data-column="image-bytes">${formatExactBytes(child.imageSizeInBytes)}</span>`
                    : html`<span class="muted">—</span>`}
                </td>
                <td class="number" data-column="manifest-bytes">${formatExactBytes(child.sizeInBytes)}</td>
                <td>${child.isPresent ? 'yes' : html`<span class="muted">no (not pushed)</span>`}</td>
              </tr>
            `,
          )}
        </tbody>
      <//>
    </section>
  `;
}

/** A referrer's artifact type in full (what `oras discover` prints), under its name when the console knows one. */
function ArtifactType({ artifactType }) {
  if (artifactType === undefined) return '—';
  const label = mediaTypeLabel(artifactType);
  return html`${label !== artifactType ? html`<span class="type-line">${label}</span>` : null}<code class="type-line wrap" data-column="artifact-type">${artifactType}</code>`;
}

function ReferrersSection({ scope, repository, referrers }) {
  return html`
    <section aria-labelledby="referrers-title">
      <h2 id="referrers-title">Referrers</h2>
      ${referrers.length === 0
        ? html`<p class="empty">No signatures, SBOMs or other artifacts refer to this image.</p>`
        : html`
            <${ScrollTable} id="referrers-caption" caption="Artifacts whose subject is this image">
              <thead><tr><th scope="col">Artifact type</th><th scope="col">Digest</th><th scope="col">Media type</th><th scope="col" class="number">Size</th></tr></thead>
              <tbody>
                ${referrers.map(
                  (referrer) => html`
                    <tr key=${referrer.digest}>
                      <td><${ArtifactType} artifactType=${referrer.artifactType} /></td>
                      <td><${Digest} digest=${referrer.digest} href=${imageHref(scope, repository, referrer.digest)} /></td>
                      <td title=${referrer.mediaType}>${mediaTypeLabel(referrer.mediaType)}</td>
                      <td class="number">${formatBytes(referrer.sizeInBytes)}</td>
                    </tr>
                  `,
                )}
              </tbody>
            <//>
          `}
    </section>
  `;
}

function FindingsSection({ findings }) {
  let body;
  if (findings === null) body = html`<p class="empty">This image was never scanned: Start scan above scans it now.</p>`;
  else if (findings.isHidden) body = html`<p class="note">You may not read this image's findings (no ecr:DescribeImageScanFindings).</p>`;
  else {
    body = html`
      <${Facts} items=${[
        ['Scanned', html`<time datetime=${findings.completedAt}>${formatTime(findings.completedAt)}</time>`],
        ['Vulnerability source updated', html`<time datetime=${findings.vulnerabilitySourceUpdatedAt}>${formatTime(findings.vulnerabilitySourceUpdatedAt)}</time>`],
      ]} />
      <ul class="severity-summary" aria-label="Findings by severity">
        ${SEVERITIES.filter((severity) => severity !== 'UNDEFINED' || (findings.severityCounts[severity] ?? 0) > 0).map(
          (severity) => html`<li key=${severity} class=${`severity severity-${severity.toLowerCase()}`} data-severity=${severity}><span class="count">${findings.severityCounts[severity] ?? 0}</span> ${severity.toLowerCase()}</li>`,
        )}
      </ul>
      ${findings.findings.length === 0
        ? html`<p class="empty">The scan found nothing.</p>`
        : html`
            <${ScrollTable} id="findings-caption" caption=${`Findings${findings.totalCount > findings.findings.length ? ` (the first ${findings.findings.length} of ${findings.totalCount})` : ` (${findings.totalCount})`}, most severe first`} className="findings">
              <thead><tr><th scope="col">Name</th><th scope="col">Severity</th><th scope="col">Package</th><th scope="col">Version</th><th scope="col">Description</th></tr></thead>
              <tbody>
                ${findings.findings.map(
                  (finding) => html`
                    <tr key=${finding.name}>
                      <th scope="row">${finding.uri !== undefined ? html`<a href=${finding.uri} rel="noreferrer">${finding.name}</a>` : finding.name}</th>
                      <td><span class=${`severity severity-${finding.severity.toLowerCase()}`}>${finding.severity.toLowerCase()}</span></td>
                      <td>${finding.attributes.package_name ?? '—'}</td>
                      <td><code>${finding.attributes.package_version ?? '—'}</code></td>
                      <td class="description">${finding.description ?? ''}</td>
                    </tr>
                  `,
                )}
              </tbody>
            <//>
          `}
      ${findings.enhancedFindingCount !== undefined ? html`<p class="note">${findings.enhancedFindingCount} enhanced findings are not listed here.</p>` : null}
    `;
  }
  return html`
    <section aria-labelledby="findings-title">
      <h2 id="findings-title">Scan findings</h2>
      ${body}
    </section>
  `;
}

function ManifestSection({ manifest }) {
  const text = prettyJson(manifest);
  return html`
    <section aria-labelledby="manifest-title">
      <h2 id="manifest-title">Manifest</h2>
      <details class="manifest">
        <summary>Show the manifest as JSON (${text.split('\n').length} lines)</summary>
        <div class="manifest-tools"><${CopyButton} text=${JSON.stringify(manifest, null, 2)} label="Copy the manifest" /></div>
        <pre class="json" tabindex="0" aria-label="The manifest as JSON">${text}</pre>
      </details>
    </section>
  `;
}

export function ImagePage({ scope, repository, digest }) {
  usePageTitle(`Image ${shortDigest(digest)} in ${repository}`);
  const [refreshKey, setRefreshKey] = useState(0);
  const action = useConfirmedAction((result) => {
    if (result.deleted === digest) window.location.hash = repositoryHref(scope, repository);
    else setRefreshKey((value) => value + 1);
  });
  // Which image an answer is of: after a link to another image, the last one's answer is not shown under its heading.
  const identity = `${scope.accountId}/${scope.region}/${repository}/${digest}`;
  const loaded = useLoad(
    async (signal) => ({ ...(await apiGet('/image', { account: scope.accountId, region: scope.region, repository, digest }, { signal })), loadedFor: identity }),
    [scope.accountId, scope.region, repository, digest, refreshKey],
  );
  const image = loaded.data?.loadedFor === identity ? loaded.data : undefined;
  const body = { account: scope.accountId, region: scope.region, repository, digest };
  const startScan = () =>
    action.run({
      title: 'Start a scan?',
      message: html`The image <code>${digest}</code> is scanned now. ECR allows one basic scan per image in 24 hours.`,
      confirmLabel: 'Start scan',
      isDestructive: false,
      path: '/start-scan',
      body,
      describe: (result) => `Scanned at ${formatTime(result.completedAt)}.`,
    });
  const deleteImage = () =>
    action.run({
      title: 'Delete image?',
      message: html`The image <code>${digest}</code>${image?.tags.length > 0 ? html` and its tags ${image.tags.join(', ')}` : ''} are deleted from <code>${repository}</code>.`,
      confirmLabel: 'Delete',
      path: '/delete-image',
      body,
      describe: () => `Deleted image ${digest}.`,
    });
  const kind = image?.kind === 'index' ? 'Index' : 'Image';

  return html`
    <${Breadcrumbs} scope=${scope} repository=${repository} image=${shortDigest(digest)} />
    <h1>${kind} <span class="name" title=${digest}>${shortDigest(digest)}</span>${image !== undefined && image.tags.length > 0 ? html` <span class="h1-tags">${image.tags.join(', ')}</span>` : null}</h1>
    <${LoadStatus} state=${loaded} what="the image" />
    ${action.dialog}
    ${action.outcome}
    ${image !== undefined
      ? html`
          <${CommandLine} command=${image.pullCommand} label="Copy the docker pull command" />
          <div class="actions">
            ${image.kind === 'image' ? html`<button type="button" onClick=${startScan}>Start scan</button>` : null}
            <button type="button" class="danger" onClick=${deleteImage}>Delete image</button>
          </div>
          <section aria-labelledby="image-summary-title">
            <h2 id="image-summary-title">Summary</h2>
            <${Facts}
              className="compact"
              items=${[
                ['Tags', image.tags.length > 0 ? image.tags.join(', ') : html`<span class="muted">untagged</span>`],
                ['Size', html`<span title=${formatExactBytes(image.sizeInBytes)} data-size=${image.sizeInBytes}>${formatBytes(image.sizeInBytes)}</span>`],
                ['Pushed', html`<time datetime=${image.pushedAt}>${formatTime(image.pushedAt)}</time>`],
                ['Last pulled', image.lastPulledAt !== undefined ? html`<time datetime=${image.lastPulledAt}>${formatTime(image.lastPulledAt)}</time>` : html`<span class="muted">never</span>`],
                ['Media type', html`<span title=${image.mediaType}>${mediaTypeLabel(image.mediaType)}</span>`],
                ['Artifact type', image.artifactType !== undefined ? html`<span title=${image.artifactType}>${mediaTypeLabel(image.artifactType)}</span>` : '—'],
                ['Storage class', image.storageClass],
                ['Platforms', image.platforms !== undefined ? image.platforms.join(', ') : image.config?.platform ?? undefined, { isWide: image.platforms !== undefined }],
                ['Scan findings', image.kind === 'image' ? html`<${SeverityCounts} counts=${image.scan?.severityCounts} isCompact=${true} />` : undefined, { isWide: true }],
              ]}
            />
            <${Facts}
              className="wide"
              items=${[
                ['Digest', html`<code class="wrap">${image.digest}</code> <${CopyButton} text=${image.digest} label="Copy the digest" />`],
                ['Subject (the image this artifact refers to)', image.subjectDigest !== undefined ? html`<${Digest} digest=${image.subjectDigest} href=${imageHref(scope, repository, image.subjectDigest)} />` : undefined],
              ]}
            />
          </section>
          ${image.kind === 'image'
            ? html`<${LayersSection} image=${image} /><${FindingsSection} findings=${image.findings} /><${ConfigSection} config=${image.config} />`
            : html`<${ChildrenSection} scope=${scope} repository=${repository} image=${image} />`}
          <${ReferrersSection} scope=${scope} repository=${repository} referrers=${image.referrers} />
          <${ManifestSection} manifest=${image.manifest} />
        `
      : null}
  `;
}

// The lifecycle preview of a repository: the rules of its policy in the order ECR applies them, and what they would
// expire or archive now, each image with the rule that selects it. Read-only; running the policy is the page's action.
import { html } from './vendor/htm-preact.js';
import { apiGet } from './api.js';
import { Digest } from './copy-button.js';
import { formatTime } from './format.js';
import { TagList } from './image-badges.js';
import { LoadStatus, useLoad } from './load-state.js';
import { imageHref } from './routes.js';
import { ScrollTable } from './table-view.js';

function ruleTags(tags) {
  if (tags.status === 'any') return 'any image';
  if (tags.status === 'untagged') return 'untagged images';
  return `tags ${tags.matchBy === 'prefix' ? 'starting with' : 'matching'} ${tags.values.join(', ')}`;
}

function ruleCount(count) {
  switch (count.type) {
    case 'imageCountMoreThan':
      return `more than ${count.images} image${count.images === 1 ? '' : 's'}`;
    case 'sinceImagePushed':
      return `pushed ${count.days} day${count.days === 1 ? '' : 's'} ago or more`;
    case 'sinceImagePulled':
      return `last pulled ${count.days} day${count.days === 1 ? '' : 's'} ago or more`;
    case 'sinceImageTransitioned':
      return `archived ${count.days} day${count.days === 1 ? '' : 's'} ago or more`;
    default:
      return count.type;
  }
}

/** The preview of the repository's lifecycle policy: its rules with how many images each selects now, and those images. */
export function LifecyclePreview({ scope, repository, refreshKey }) {
  const preview = useLoad(
    (signal) => apiGet('/lifecycle-preview', { account: scope.accountId, region: scope.region, repository }, { signal }),
    [scope.accountId, scope.region, repository, refreshKey],
  );
  const data = preview.data;
  return html`
    <${LoadStatus} state=${preview} what="the lifecycle preview" />
    ${data !== undefined && data.policy !== null
      ? html`
          <${ScrollTable} id="lifecycle-rules-caption" caption="Rules, in the order ECR applies them">
            <thead>
              <tr><th scope="col" class="number">Priority</th><th scope="col">Description</th><th scope="col">Selects</th><th scope="col">When</th><th scope="col">Storage class</th><th scope="col">Action</th><th scope="col" class="number">Images now</th></tr>
            </thead>
            <tbody>
              ${data.rules.map(
                (rule) => html`
                  <tr key=${rule.priority}>
                    <td class="number">${rule.priority}</td><td>${rule.description ?? '—'}</td><td>${ruleTags(rule.tags)}</td><td>${ruleCount(rule.count)}</td>
                    <td>${rule.storageClass}</td><td>${rule.action}</td><td class="number">${rule.imageCount}</td>
                  </tr>
                `,
              )}
            </tbody>
          <//>
          ${data.results.length === 0
            ? html`<p class="empty">The policy selects no image now.</p>`
            : html`
                <${ScrollTable} id="lifecycle-results-caption" caption=${`What the policy would do now: ${data.totalCount} image${data.totalCount === 1 ? '' : 's'}${data.totalCount > data.results.length ? ` (the first ${data.results.length} listed)` : ''}`} className="lifecycle-results">
                  <thead>
                    <tr><th scope="col">Image</th><th scope="col">Tags</th><th scope="col">Pushed</th><th scope="col">Storage class</th><th scope="col">Action</th><th scope="col">Selected by</th></tr>
                  </thead>
                  <tbody>
                    ${data.results.map((result) => {
                      const rule = data.rules.find((candidate) => candidate.priority === result.rulePriority);
                      return html`
                        <tr key=${result.digest}>
                          <td><${Digest} digest=${result.digest} href=${imageHref(scope, repository, result.digest)} isCopyable=${false} /></td>
                          <td><${TagList} tags=${result.tags} /></td>
                          <td><time datetime=${result.pushedAt}>${formatTime(result.pushedAt)}</time></td>
                          <td>${result.storageClass}</td>
                          <td>${result.action}</td>
                          <td>rule ${result.rulePriority}${rule?.description !== undefined ? `: ${rule.description}` : ''}</td>
                        </tr>
                      `;
                    })}
                  </tbody>
                <//>
              `}
        `
      : null}
  `;
}

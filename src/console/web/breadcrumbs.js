// Where a page sits: registry, repository, image, as a labelled trail of links; the current page is marked, not linked.
import { html } from './vendor/htm-preact.js';
import { registryHref, repositoryHref } from './routes.js';

/** `image`: the short digest of the image page, when on one. */
export function Breadcrumbs({ scope, repository, image }) {
  return html`
    <nav class="breadcrumbs" aria-label="Breadcrumbs">
      <ol>
        <li><a href=${registryHref(scope)}>${scope.accountId} · ${scope.region}</a></li>
        ${repository !== undefined ? html`<li>${image === undefined ? html`<span aria-current="page">${repository}</span>` : html`<a href=${repositoryHref(scope, repository)}>${repository}</a>`}</li>` : null}
        ${image !== undefined ? html`<li><span aria-current="page">${image}</span></li>` : null}
      </ol>
    </nav>
  `;
}

// The Registry page: the account and Region picker (every registry /registries lists), the repositories of one
// registry with search and paging, and a bar chart of the storage of the repositories on the page.
import { html, useEffect, useState } from './vendor/htm-preact.js';
import { apiGet } from './api.js';
import { StorageChart } from './charts.js';
import { formatBytes, formatExactBytes, formatTime } from './format.js';
import { LoadStatus, usePageTitle, useLoad } from './load-state.js';
import { registryHref, repositoryHref } from './routes.js';
import { ScrollTable } from './table-view.js';

const PAGE_SIZES = [10, 25, 50, 100];
const SEARCH_DELAY_MS = 250;

const scopeKey = (scope) => `${scope.accountId}/${scope.region}`;

function RegistryPicker({ scope }) {
  const registries = useLoad((signal) => apiGet('/registries', {}, { signal }), []);
  const listed = registries.data?.registries ?? [];
  const options = listed.some((candidate) => scopeKey(candidate) === scopeKey(scope)) ? listed : [scope, ...listed];
  return html`
    <div class="field">
      <label for="registry-select">Registry (account and Region)</label>
      <select id="registry-select" value=${scopeKey(scope)} onChange=${(event) => {
        const chosen = options.find((candidate) => scopeKey(candidate) === event.currentTarget.value);
        if (chosen !== undefined) window.location.hash = registryHref(chosen);
      }}>
        ${options.map((candidate) => html`<option key=${scopeKey(candidate)} value=${scopeKey(candidate)}>${candidate.accountId} · ${candidate.region}</option>`)}
      </select>
    </div>
  `;
}

function RepositoryTable({ scope, repositories, search }) {
  if (repositories.length === 0) {
    return html`<p class="empty">${search === '' ? 'This registry has no repositories yet.' : `No repository name contains “${search}”.`}</p>`;
  }
  return html`
    <${ScrollTable} id="repositories-caption" caption=${`Repositories in ${scope.accountId} · ${scope.region}${search === '' ? '' : ` whose name contains “${search}”`}`}>
      <thead>
        <tr>
          <th scope="col">Repository</th>
          <th scope="col" class="number">Images</th>
          <th scope="col" class="number">Total size</th>
          <th scope="col">Tag mutability</th>
          <th scope="col">Scan on push</th>
          <th scope="col">Policies</th>
          <th scope="col">Last push</th>
        </tr>
      </thead>
      <tbody>
        ${repositories.map(
          (repository) => html`
            <tr key=${repository.name}>
              <th scope="row"><a href=${repositoryHref(scope, repository.name)}>${repository.name}</a></th>
              <td class="number" data-column="images">${repository.imageCount}</td>
              <td class="number" data-column="size" title=${formatExactBytes(repository.sizeInBytes)}>${formatBytes(repository.sizeInBytes)}</td>
              <td>${repository.imageTagMutability === 'IMMUTABLE' ? 'Immutable' : 'Mutable'}</td>
              <td>${repository.scanOnPush ? 'On' : 'Off'}</td>
              <td>${[repository.hasRepositoryPolicy ? 'repository' : '', repository.hasLifecyclePolicy ? 'lifecycle' : ''].filter(Boolean).join(', ') || '—'}</td>
              <td><time datetime=${repository.lastPushedAt} title=${repository.lastPushedAt}>${formatTime(repository.lastPushedAt)}</time></td>
            </tr>
          `,
        )}
      </tbody>
    <//>
  `;
}

export function RegistryPage({ scope }) {
  usePageTitle(`Registry ${scope.accountId} · ${scope.region}`);
  const [draft, setDraft] = useState('');
  const [search, setSearch] = useState('');
  const [limit, setLimit] = useState(50);
  // The `after` of each page shown so far: the last one is the current page's; Previous pops it. They belong to one
  // listing (registry, search, page size): a new one starts at page 1 in the same render, so a stale `after` is
  // never sent with it.
  const listing = JSON.stringify([scope.accountId, scope.region, search, limit]);
  const [paging, setPaging] = useState({ listing, afters: [undefined] });
  const afters = paging.listing === listing ? paging.afters : [undefined];
  const setAfters = (next) => setPaging({ listing, afters: next });
  const after = afters[afters.length - 1];

  useEffect(() => {
    const timer = setTimeout(() => setSearch(draft.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draft]);

  const page = useLoad(
    // The answer keeps the registry it is of: while the next registry loads, the rows shown say whose they are.
    async (signal) => ({ ...(await apiGet('/repositories', { account: scope.accountId, region: scope.region, search, limit, after }, { signal })), scope, search }),
    [scope.accountId, scope.region, search, limit, after],
  );
  const repositories = page.data?.repositories ?? [];

  return html`
    <h1>Registry <span class="scope">${scope.accountId} · ${scope.region}</span></h1>
    <div class="toolbar">
      <${RegistryPicker} scope=${scope} />
      <form class="field" role="search" onSubmit=${(event) => {
        event.preventDefault();
        setSearch(draft.trim());
      }}>
        <label for="repository-search">Search repositories</label>
        <input id="repository-search" type="search" placeholder="part of a name" value=${draft} onInput=${(event) => setDraft(event.currentTarget.value)} />
      </form>
      <div class="field">
        <label for="repository-page-size">Per page</label>
        <select id="repository-page-size" value=${String(limit)} onChange=${(event) => setLimit(Number(event.currentTarget.value))}>
          ${PAGE_SIZES.map((size) => html`<option key=${size} value=${String(size)}>${size}</option>`)}
        </select>
      </div>
    </div>
    <${LoadStatus} state=${page} what="repositories" />
    ${page.data !== undefined
      ? html`
          <section aria-labelledby="repositories-title" aria-busy=${page.isLoading ? 'true' : 'false'}>
            <h2 id="repositories-title">Repositories</h2>
            <${RepositoryTable} scope=${page.data.scope} repositories=${repositories} search=${page.data.search} />
            <nav class="pager" aria-label="Repository pages">
              <button type="button" disabled=${afters.length === 1} onClick=${() => setAfters(afters.slice(0, -1))}>Previous</button>
              <span>Page ${afters.length}</span>
              <button type="button" disabled=${page.data.next === undefined} onClick=${() => setAfters([...afters, page.data.next])}>Next</button>
            </nav>
          </section>
          <section aria-labelledby="storage-title">
            <h2 id="storage-title">Storage</h2>
            <${StorageChart}
              caption="Storage per repository on this page"
              items=${repositories.map((repository) => ({ key: repository.name, label: repository.name, sizeInBytes: repository.sizeInBytes }))}
            />
          </section>
        `
      : null}
  `;
}

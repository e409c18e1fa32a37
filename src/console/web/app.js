// The console's shell: the session (who the page acts as, the registry token), the header with its navigation and
// theme toggle, the root-view notice under --iam soft or enforce, and the page the URL hash names.
import { html, render, useCallback, useEffect, useRef, useState } from './vendor/htm-preact.js';
import { apiGet, storedToken, storeToken } from './api.js';
import { ErrorAlert, useLoad } from './load-state.js';
import { ACCESS_HREF, parseRoute, registryHref } from './routes.js';
import { RegistryPage } from './registry-page.js';
import { RepositoryPage } from './repository-page.js';
import { ImagePage } from './image-page.js';
import { AccessPage } from './access-page.js';

const THEME_KEY = 'ecr-console-theme';

function useHashRoute() {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return parseRoute(hash);
}

function effectiveTheme() {
  const chosen = document.documentElement.getAttribute('data-theme');
  if (chosen === 'dark' || chosen === 'light') return chosen;
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function ThemeToggle() {
  const [theme, setTheme] = useState(effectiveTheme);
  const toggle = () => {
    const next = theme === 'dark' ? 'light' : 'dark';
    document.documentElement.setAttribute('data-theme', next);
    try {
      localStorage.setItem(THEME_KEY, next);
    } catch {
      // Not remembered, but applied.
    }
    setTheme(next);
  };
  // A toggle button (WAI-ARIA APG): the label stays "Dark theme" and aria-pressed says whether it is on; the switch
  // drawn beside the label shows the same state to the eye.
  return html`
    <button type="button" class="theme-toggle" aria-pressed=${theme === 'dark' ? 'true' : 'false'} onClick=${toggle}>
      <span class="switch" aria-hidden="true"><span class="knob"></span></span>
      Dark theme
    </button>
  `;
}

/** The principal in the header, always: the token's, or the root of the account viewed. */
function Principal({ session, scope, hasToken, onSignOut }) {
  if (session.error !== undefined) {
    return html`<div class="who"><span>Token refused</span>${hasToken ? html` <button type="button" class="small" onClick=${onSignOut}>Sign out</button>` : null}</div>`;
  }
  const data = session.data;
  if (data === undefined) return html`<div class="who">…</div>`;
  return html`
    <div class="who">
      <span class="who-label">Principal</span>
      <code class="who-principal">${data.principal ?? `arn:aws:iam::${(scope ?? data.defaultRegistry).accountId}:root`}</code>
      ${data.isRootView ? html`<span class="who-note">(root view, no token)</span>` : null}
      <span class="badge" title="How IAM and resource policies decide requests (--iam)">IAM ${data.iamMode}</span>
      ${hasToken ? html`<button type="button" class="small" onClick=${onSignOut}>Sign out</button>` : null}
    </div>
  `;
}

/** What a root view means under the emulator's --iam mode (soft or enforce). Flags in code: they never break at a hyphen. */
function rootViewText(iamMode) {
  if (iamMode === 'enforce') {
    return html`You are viewing as the account root. This emulator runs with <code class="flag">--iam enforce</code>: IAM and repository policies decide every request, so sign in with a principal's token to see only what it may describe and change only what it may.`;
  }
  return html`You are viewing as the account root: under <code class="flag">--iam enforce</code> the console is an account root's view unless you sign in with a token. This emulator runs with <code class="flag">--iam soft</code>: requests a policy would deny are let through and recorded on the Access page.`;
}

/** Under --iam soft or enforce, a console without a token is an account root's view: say so, and offer a sign-in. */
function RootViewNotice({ session, onSignIn }) {
  const [token, setToken] = useState('');
  const data = session.data;
  const isShown = session.error !== undefined || (data !== undefined && data.isRootView && data.iamMode !== 'off');
  if (!isShown) return null;
  const submit = (event) => {
    event.preventDefault();
    const trimmed = token.trim();
    if (trimmed !== '') onSignIn(trimmed);
    setToken('');
  };
  return html`
    <section class="notice" aria-labelledby="root-view-title">
      <p id="root-view-title" class="notice-title"><strong>${session.error !== undefined ? 'The token was refused' : 'Root view'}</strong></p>
      ${session.error !== undefined
        ? html`<${ErrorAlert} error=${session.error} prefix="Sign-in failed" />`
        : html`<p>${rootViewText(data.iamMode)}</p>`}
      <form class="sign-in" onSubmit=${submit}>
        <label for="token-input">Registry token (<code>aws ecr get-login-password</code>)</label>
        <input id="token-input" type="password" autocomplete="off" spellcheck="false" value=${token} onInput=${(event) => setToken(event.currentTarget.value)} />
        <button type="submit" class="primary">Sign in</button>
      </form>
    </section>
  `;
}

function Page({ route, defaults, sessionKey }) {
  switch (route.page) {
    case 'registry':
      return html`<${RegistryPage} key=${sessionKey} scope=${route.scope} />`;
    case 'repository':
      return html`<${RepositoryPage} key=${sessionKey} scope=${route.scope} repository=${route.repository} />`;
    case 'image':
      return html`<${ImagePage} key=${sessionKey} scope=${route.scope} repository=${route.repository} digest=${route.digest} />`;
    case 'access':
      return html`<${AccessPage} key=${sessionKey} />`;
    case 'home':
      return html`<p class="status" role="status">Opening the registry …</p>`;
    default:
      return html`
        <h1>Page not found</h1>
        <p>No console page at <code>${route.hash}</code>. ${defaults !== undefined ? html`Go to <a href=${registryHref(defaults)}>the registry</a>.` : null}</p>
      `;
  }
}

function App() {
  const route = useHashRoute();
  const [sessionKey, setSessionKey] = useState(0);
  const [hasToken, setHasToken] = useState(() => storedToken() !== undefined);
  const session = useLoad(() => apiGet('/session'), [sessionKey]);
  const main = useRef(null);
  const isFirstRoute = useRef(true);
  const [lastScope, setLastScope] = useState(undefined);
  const defaults = session.data?.defaultRegistry;

  const changeToken = useCallback((token) => {
    storeToken(token);
    setHasToken(token !== undefined);
    setSessionKey((value) => value + 1);
  }, []);

  useEffect(() => {
    if (route.page === 'home' && defaults !== undefined) window.location.replace(registryHref(defaults));
    if (route.scope !== undefined) setLastScope(route.scope);
  }, [route.page, route.scope?.accountId, route.scope?.region, defaults?.accountId, defaults?.region]);

  // A new page takes the focus, as a page load would, so the next Tab starts at its content.
  useEffect(() => {
    if (isFirstRoute.current) {
      isFirstRoute.current = false;
      return;
    }
    main.current?.focus();
  }, [window.location.hash]);

  const skipToContent = (event) => {
    event.preventDefault();
    main.current?.focus();
    main.current?.scrollIntoView();
  };
  const registryScope = lastScope ?? defaults;
  const current = (page) => (route.page === page || (page === 'registry' && (route.page === 'repository' || route.page === 'image')) ? 'page' : undefined);

  return html`
    <a class="skip-link" href="#main" onClick=${skipToContent}>Skip to content</a>
    <header class="top">
      <a class="brand" href=${registryScope !== undefined ? registryHref(registryScope) : '#/'}>ECR emulator console</a>
      <nav aria-label="Main">
        <ul>
          <li><a href=${registryScope !== undefined ? registryHref(registryScope) : '#/'} aria-current=${current('registry')}>Registry</a></li>
          <li><a href=${ACCESS_HREF} aria-current=${current('access')}>Access</a></li>
        </ul>
      </nav>
      <${Principal} session=${session} scope=${registryScope} hasToken=${hasToken} onSignOut=${() => changeToken(undefined)} />
      <${ThemeToggle} />
    </header>
    <${RootViewNotice} session=${session} onSignIn=${changeToken} />
    <main id="main" tabindex="-1" ref=${main}>
      <${Page} route=${route} defaults=${defaults} sessionKey=${sessionKey} />
    </main>
    <footer class="bottom">
      <p>Sizes are 1024-based: 1 KiB = 1024 bytes, 1 MiB = 1024 KiB. Times are local (${Intl.DateTimeFormat().resolvedOptions().timeZone}). The JSON behind every page: <a href="/_emulator/api">/_emulator/api</a>.</p>
    </footer>
  `;
}

render(html`<${App} />`, document.getElementById('app'));

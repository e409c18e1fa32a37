// What every page does around its data: a hook that runs a load whenever its keys change (a stale answer is dropped),
// the status line (aria-live) and error alert (role=alert) shown while and when it fails, and the document title.
import { html, useCallback, useEffect, useState } from './vendor/htm-preact.js';

/**
 * Runs `load(signal)` now and again whenever one of `keys` changes, and on reload(). Returns
 * { data, error, isLoading, reload }; `data` keeps the previous answer while the next one loads.
 */
export function useLoad(load, keys) {
  const [generation, setGeneration] = useState(0);
  const current = JSON.stringify([...keys, generation]);
  // `settled`: the keys of the last answer. Loading is true from the render the keys change in, not one effect
  // later, so no frame shows the old data as if it were the answer.
  const [state, setState] = useState({ data: undefined, error: undefined, settled: undefined });
  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, error: undefined, settled: current });
      },
      (error) => {
        if (!controller.signal.aborted) setState((previous) => ({ data: previous.data, error, settled: current }));
      },
    );
    return () => controller.abort();
  }, [current]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  const isLoading = state.settled !== current;
  return { data: state.data, error: isLoading ? undefined : state.error, isLoading, reload };
}

/** The error's text for people: the API's message, or what went wrong reaching it. */
export function errorText(error) {
  if (error === undefined || error === null) return '';
  if (error.name === 'ApiError') return error.message;
  return `The emulator could not be reached: ${error.message ?? String(error)}`;
}

/** An error box, announced at once; nothing when there is no error. */
export function ErrorAlert({ error, prefix }) {
  if (error === undefined || error === null) return null;
  return html`<div class="alert" role="alert"><strong>${prefix ?? 'Error'}:</strong> ${errorText(error)}</div>`;
}

/** The live status line of a load: 'Loading …' while it runs; the error alert when it failed. */
export function LoadStatus({ state, what }) {
  return html`
    <p class="status" role="status" aria-live="polite">${state.isLoading ? `Loading ${what} …` : ''}</p>
    <${ErrorAlert} error=${state.error} prefix=${`Could not load ${what}`} />
  `;
}

/** Sets the document title for the page shown: '<what> · ECR emulator console'. */
export function usePageTitle(what) {
  useEffect(() => {
    document.title = `${what} · ECR emulator console`;
  }, [what]);
}

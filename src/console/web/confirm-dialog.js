// Asking before a change: a modal <dialog> (focus moves to Cancel, Escape cancels, focus returns to the button that
// opened it) instead of window.confirm, which cannot be styled, labelled or tested the same way; and the change
// itself, posted to the API once confirmed, with its outcome announced.
import { html, useCallback, useEffect, useRef, useState } from './vendor/htm-preact.js';
import { apiPost } from './api.js';
import { ErrorAlert } from './load-state.js';

/**
 * Returns [dialog, ask]: render `dialog` once in the page; `ask({ title, message, confirmLabel })` opens it and
 * resolves true for the confirming button, false for Cancel or Escape.
 */
export function useConfirm() {
  const [request, setRequest] = useState(null);
  const dialog = useRef(null);
  useEffect(() => {
    if (request !== null && dialog.current !== null && !dialog.current.open) dialog.current.showModal();
  }, [request]);
  const ask = useCallback((options) => new Promise((resolve) => setRequest({ ...options, resolve })), []);
  const finish = (isConfirmed) => {
    if (request === null) return;
    if (dialog.current?.open) dialog.current.close();
    setRequest(null);
    request.resolve(isConfirmed);
  };
  const onCancel = (event) => {
    event.preventDefault();
    finish(false);
  };
  const element =
    request === null
      ? null
      : html`
          <dialog ref=${dialog} class="confirm" aria-labelledby="confirm-title" aria-describedby="confirm-message" onCancel=${onCancel}>
            <h2 id="confirm-title">${request.title}</h2>
            <p id="confirm-message">${request.message}</p>
            <div class="buttons">
              <button type="button" autofocus onClick=${() => finish(false)}>Cancel</button>
              <button type="button" class=${request.isDestructive === false ? 'primary' : 'danger'} onClick=${() => finish(true)}>${request.confirmLabel}</button>
            </div>
          </dialog>
        `;
  return [element, ask];
}

/**
 * A change made only after confirmation: returns { dialog, outcome, run }. Render `dialog` and `outcome` (the
 * result's status line or its error alert); `run({ title, message, confirmLabel, path, body, describe })` asks, posts
 * to the API, says `describe(result)` and calls `onDone`.
 */
export function useConfirmedAction(onDone) {
  const [dialog, ask] = useConfirm();
  const [outcome, setOutcome] = useState(null);
  const outcomeLine = useRef(null);
  // A delete can remove the button that asked: the focus then goes to the outcome, not back to the page's start.
  useEffect(() => {
    if (outcome !== null && (document.activeElement === null || document.activeElement === document.body)) outcomeLine.current?.focus();
  }, [outcome]);
  const run = async ({ title, message, confirmLabel, isDestructive, path, body, describe }) => {
    if (!(await ask({ title, message, confirmLabel, isDestructive }))) {
      setOutcome({ text: `Cancelled: ${title.replace(/\?$/, '')}.` });
      return;
    }
    setOutcome({ text: 'Working …' });
    try {
      const result = await apiPost(path, body);
      setOutcome({ text: describe(result) });
      onDone?.(result);
    } catch (error) {
      setOutcome({ error });
    }
  };
  const outcomeElement = html`
    <p class="status outcome" role="status" tabindex="-1" ref=${outcomeLine}>${outcome?.text ?? ''}</p>
    <${ErrorAlert} error=${outcome?.error} prefix="The change failed" />
  `;
  return { dialog, outcome: outcomeElement, run };
}

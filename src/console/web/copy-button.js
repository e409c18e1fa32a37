// Copying a value: the Copy button (navigator.clipboard where the page may use it, else a selected text area and
// execCommand, else the text shown selected for Ctrl+C), a digest shown short with its copy button, and a command line.
import { html, useEffect, useRef, useState } from './vendor/htm-preact.js';
import { shortDigest } from './format.js';

/** Copies through a temporary off-screen text area: the way browsers without the async clipboard API allow. */
function copyBySelection(text) {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'offscreen';
  document.body.append(area);
  area.select();
  let isCopied = false;
  try {
    isCopied = document.execCommand('copy');
  } catch {
    isCopied = false;
  }
  area.remove();
  return isCopied;
}

async function copyText(text) {
  if (navigator.clipboard !== undefined && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Permission refused (an unfocused page, a policy): the older way may still work.
    }
  }
  return copyBySelection(text);
}

/** A button copying `text`; `label` names what it copies for screen readers ('Copy digest'). */
export function CopyButton({ text, label = 'Copy' }) {
  const [outcome, setOutcome] = useState('idle');
  const manual = useRef(null);
  useEffect(() => {
    if (outcome === 'manual') manual.current?.select();
    if (outcome !== 'copied') return undefined;
    const timer = setTimeout(() => setOutcome('idle'), 2000);
    return () => clearTimeout(timer);
  }, [outcome]);
  const copy = async () => setOutcome((await copyText(text)) ? 'copied' : 'manual');
  return html`
    <span class="copy">
      <button type="button" class="small" aria-label=${label} title=${label} onClick=${copy}>${outcome === 'copied' ? 'Copied' : 'Copy'}</button>
      <span class="visually-hidden" role="status">${outcome === 'copied' ? 'Copied to the clipboard' : ''}</span>
      ${outcome === 'manual' ? html`<input ref=${manual} class="manual-copy" readonly value=${text} aria-label="Press Ctrl+C to copy" />` : null}
    </span>
  `;
}

/**
 * A digest as 'sha256:eb8fb769e29e' with the full digest in its title, a link when `href` is given, and a copy
 * button beside it (never inside the link) unless `isCopyable` is false.
 */
export function Digest({ digest, href, isCopyable = true }) {
  const text = html`<code title=${digest}>${shortDigest(digest)}</code>`;
  return html`<span class="digest">${href === undefined ? text : html`<a href=${href} aria-label=${`Image ${digest}`}>${text}</a>`}${isCopyable ? html` <${CopyButton} text=${digest} label=${`Copy digest ${digest}`} />` : null}</span>`;
}

/** A shell command shown in full, with its copy button. */
export function CommandLine({ command, label }) {
  return html`<div class="command"><code>${command}</code><${CopyButton} text=${command} label=${label ?? 'Copy command'} /></div>`;
}

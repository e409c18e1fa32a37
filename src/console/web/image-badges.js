// An image's small labels: its tags as chips (with delete buttons where a page offers them) and its scan severity
// counts as coloured badges. No data loading; the pages pass what they read.
import { html } from './vendor/htm-preact.js';
import { SEVERITIES } from './format.js';

/**
 * Scan severity counts as small badges, most severe first. `isCompact` (in tables) shows each severity's initial,
 * with the full word in its title and for screen readers.
 */
export function SeverityCounts({ counts, isCompact = false }) {
  if (counts === undefined) return html`<span class="muted">not scanned</span>`;
  const present = SEVERITIES.filter((severity) => (counts[severity] ?? 0) > 0);
  if (present.length === 0) return html`<span class="muted">no findings</span>`;
  const label = (severity) => severity.toLowerCase();
  return html`
    <span class="severities">
      ${present.map(
        (severity) => html`
          <span key=${severity} class=${`severity severity-${label(severity)}`} title=${`${counts[severity]} ${label(severity)}`}>
            ${isCompact ? html`<span aria-hidden="true">${severity[0]}</span><span class="visually-hidden">${label(severity)}</span>` : label(severity)} ${counts[severity]}
          </span>
        `,
      )}
    </span>
  `;
}

/** An image's tags as chips; with `onDeleteTag`, each has its delete button. */
export function TagList({ tags, onDeleteTag }) {
  if (tags.length === 0) return html`<span class="muted">untagged</span>`;
  return html`
    <ul class="tags">
      ${tags.map(
        (tag) => html`
          <li key=${tag}>
            <span class="tag">${tag}</span>
            ${onDeleteTag !== undefined ? html`<button type="button" class="icon" aria-label=${`Delete tag ${tag}`} title=${`Delete tag ${tag}`} onClick=${() => onDeleteTag(tag)}>×</button>` : null}
          </li>
        `,
      )}
    </ul>
  `;
}

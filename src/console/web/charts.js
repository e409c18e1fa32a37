// The two charts: storage per repository (one bar each, scaled to the largest) and an image's layers as one stacked
// bar. Bar lengths are CSS custom properties set through the CSSOM (the CSP forbids style attributes); every value
// is also written as text, so the charts add nothing a screen reader misses.
import { html } from './vendor/htm-preact.js';
import { formatBytes, formatExactBytes, formatShare } from './format.js';

/** Palette slots of style.css (--series-0 … --series-5), reused in order. */
const SERIES_COUNT = 6;

/** `items`: [{ key, label, href?, sizeInBytes }]; a label is a link when it has an href. */
export function StorageChart({ caption, items }) {
  const largest = Math.max(0, ...items.map((item) => item.sizeInBytes));
  return html`
    <figure class="chart">
      <figcaption>${caption}</figcaption>
      ${items.length === 0
        ? html`<p class="empty">No repositories on this page.</p>`
        : html`<ul class="bar-chart">
            ${items.map(
              (item) => html`
                <li key=${item.key}>
                  ${item.href === undefined ? html`<span class="bar-label">${item.label}</span>` : html`<a class="bar-label" href=${item.href}>${item.label}</a>`}
                  <span class="bar-track" aria-hidden="true"><span class="bar" style=${{ '--share': String(largest === 0 ? 0 : item.sizeInBytes / largest) }}></span></span>
                  <span class="bar-value" title=${formatExactBytes(item.sizeInBytes)}>${formatBytes(item.sizeInBytes)}</span>
                </li>
              `,
            )}
          </ul>`}
    </figure>
  `;
}

/** `segments`: [{ key, label, sizeInBytes }] in order; each is drawn as its share of their sum. */
export function StackedBar({ label, segments }) {
  const total = segments.reduce((sum, segment) => sum + segment.sizeInBytes, 0);
  const share = (segment) => (total === 0 ? 0 : segment.sizeInBytes / total);
  const description = segments.map((segment) => `${segment.label} ${formatShare(share(segment))}`).join(', ');
  return html`
    <div class="stacked" role="img" aria-label=${`${label}: ${description}`}>
      ${segments.map(
        (segment, position) => html`<span key=${segment.key} class=${`segment series-${position % SERIES_COUNT}`} style=${{ '--share': String(share(segment)) }} title=${`${segment.label}: ${formatBytes(segment.sizeInBytes)} (${formatShare(share(segment))})`}></span>`,
      )}
    </div>
  `;
}

/** The colour swatch of the segment at `position`, for the table row that describes it. */
export function SeriesSwatch({ position }) {
  return html`<span class=${`swatch series-${position % SERIES_COUNT}`} aria-hidden="true"></span>`;
}

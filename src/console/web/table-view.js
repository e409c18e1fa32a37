// Tables as every page draws them: a captioned table in its own horizontally scrolling region (focusable, so a
// keyboard can scroll it when it must; at 200 % zoom the page itself never scrolls sideways), and sortable headers
// as buttons.
import { html, useEffect, useRef, useState } from './vendor/htm-preact.js';

/** Whether the element is wider than its box, kept up to date as it or the window resizes. */
function useIsOverflowing() {
  const element = useRef(null);
  const [isOverflowing, setIsOverflowing] = useState(false);
  useEffect(() => {
    const target = element.current;
    if (target === null) return undefined;
    const measure = () => setIsOverflowing(target.scrollWidth > target.clientWidth + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(target);
    if (target.firstElementChild !== null) observer.observe(target.firstElementChild);
    return () => observer.disconnect();
  }, []);
  return [element, isOverflowing];
}

/**
 * `id` names the caption, which labels the scrolling region too. The region takes the focus only when it
 * scrolls: a table that fits is no extra Tab stop.
 */
export function ScrollTable({ id, caption, className, children }) {
  const [element, isOverflowing] = useIsOverflowing();
  return html`
    <div class="table-scroll" role="region" tabindex=${isOverflowing ? '0' : undefined} aria-labelledby=${id} ref=${element}>
      <table class=${className}>
        <caption id=${id}>${caption}</caption>
        ${children}
      </table>
    </div>
  `;
}

/**
 * A column header whose button sorts by `sortKey` (`detail`: a second line naming what the cells say under it;
 * `title`: what the button does); `sort` is the current { key, direction }. aria-sort is set on the sorted column
 * only, as ARIA asks.
 */
export function SortHeader({ label, detail, title, sortKey, sort, onSort }) {
  const isSorted = sort.key === sortKey;
  const ariaSort = isSorted ? (sort.direction === 'ascending' ? 'ascending' : 'descending') : undefined;
  return html`
    <th scope="col" aria-sort=${ariaSort}>
      <button type="button" class="sort" title=${title ?? `Sort by ${label}`} onClick=${() => onSort(sortKey)}>
        ${label}<span class="sort-mark" aria-hidden="true">${isSorted ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ' ↕'}</span>
      </button>
      ${detail !== undefined ? html`<span class="type-line">${detail}</span>` : null}
    </th>
  `;
}

/**
 * A definition list of [term, value] or [term, value, { isWide }] items; items whose value is undefined are left out.
 * A wide item takes two columns where the grid has room for them (a list of badges, of platforms).
 */
export function Facts({ items, className }) {
  return html`
    <dl class=${`facts ${className ?? ''}`}>
      ${items
        .filter(([, value]) => value !== undefined)
        .map(([term, value, options]) => html`<div class=${options?.isWide ? 'fact wide-fact' : 'fact'}><dt>${term}</dt><dd>${value}</dd></div>`)}
    </dl>
  `;
}

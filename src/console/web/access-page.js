// The Access page: the decision feed of both planes (newest first), filterable by principal, action and result,
// each denial with the explanation its caller got; and the least-privilege policy suggested for one principal.
import { html, useEffect, useMemo, useState } from './vendor/htm-preact.js';
import { apiGet } from './api.js';
import { CopyButton } from './copy-button.js';
import { formatTime, prettyJson } from './format.js';
import { LoadStatus, usePageTitle, useLoad } from './load-state.js';
import { ScrollTable } from './table-view.js';

const RESULTS = [
  ['', 'Any'],
  ['allowed', 'Allowed'],
  ['denied', 'Denied'],
  ['would-be-denied', 'Would be denied (soft)'],
];
const LIMITS = [25, 50, 100, 500, 1000];
const TYPING_DELAY_MS = 300;

/** The value `delayMs` after it last changed: filters typed into do not reload on every key. */
function useSettled(value, delayMs) {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

function resultLabel(decision) {
  return RESULTS.find(([value]) => value === decision)?.[1] ?? decision;
}

/** The statements that matched a decision, the deciding one among them. */
function Statements({ statements }) {
  return html`<ul class="statements">${statements.map((statement, index) => html`<li key=${index}>${statement.effect} by ${statement.policy}${statement.statement !== undefined ? ` (${statement.statement})` : ''}</li>`)}</ul>`;
}

/** Each decision is a row; a denial has a second row under it with the explanation its caller got. */
function DecisionTable({ decisions }) {
  return html`
    <${ScrollTable} id="decisions-caption" caption=${`${decisions.length} decision${decisions.length === 1 ? '' : 's'}, newest first`} className="decisions">
      <thead>
        <tr><th scope="col">Time</th><th scope="col">Principal</th><th scope="col">Action</th><th scope="col">Resource</th><th scope="col">Result</th></tr>
      </thead>
      <tbody>
        ${decisions.map(
          (decision, position) => html`
            <tr key=${`${decision.time}:${position}`} class=${decision.message !== undefined ? 'has-explanation' : ''} data-decision=${decision.decision}>
              <td><time datetime=${decision.time} title=${decision.time}>${formatTime(decision.time)}</time></td>
              <td><code class="arn principal">${decision.principal}</code></td>
              <td><code>${decision.action}</code></td>
              <td><code class="arn">${decision.resource}</code></td>
              <td>
                <span class=${`result result-${decision.decision}`}>${resultLabel(decision.decision)}</span>
                <code class="reason" title="The reason code of the decision">${decision.reason}</code>
                ${decision.message === undefined && decision.statements.length > 0 ? html`<${Statements} statements=${decision.statements} />` : null}
              </td>
            </tr>
            ${decision.message !== undefined
              ? html`
                  <tr key=${`${decision.time}:${position}:why`} class="explanation-row" data-decision=${decision.decision}>
                    <td colspan="5">
                      <p class="message"><strong>Why:</strong> ${decision.message}</p>
                      ${decision.statements.length > 0 ? html`<${Statements} statements=${decision.statements} />` : null}
                    </td>
                  </tr>
                `
              : null}
          `,
        )}
      </tbody>
    <//>
  `;
}

function SuggestedPolicy({ principals, preferred }) {
  const [chosen, setChosen] = useState(undefined);
  const principal = chosen !== undefined && principals.includes(chosen) ? chosen : (preferred ?? principals[0]);
  const suggestion = useLoad((signal) => (principal === undefined ? Promise.resolve(undefined) : apiGet('/suggested-policy', { principal }, { signal })), [principal]);
  return html`
    <section aria-labelledby="suggested-title">
      <h2 id="suggested-title">Suggested policy</h2>
      <p>The least-privilege identity policy that allows everything the principal asked for, denied requests included.</p>
      ${principals.length === 0
        ? html`<p class="empty">No principal in the decisions shown.</p>`
        : html`
            <div class="field">
              <label for="suggested-principal">Principal</label>
              <select id="suggested-principal" value=${principal} onChange=${(event) => setChosen(event.currentTarget.value)}>
                ${principals.map((candidate) => html`<option key=${candidate} value=${candidate}>${candidate}</option>`)}
              </select>
            </div>
            <${LoadStatus} state=${suggestion} what="the suggested policy" />
            ${suggestion.data !== undefined
              ? html`
                  <div class="manifest-tools"><${CopyButton} text=${prettyJson(suggestion.data)} label="Copy the suggested policy" /></div>
                  <pre class="json" tabindex="0" aria-label=${`Suggested policy for ${principal}`}>${prettyJson(suggestion.data)}</pre>
                `
              : null}
          `}
    </section>
  `;
}

export function AccessPage() {
  usePageTitle('Access');
  const [principal, setPrincipal] = useState('');
  const [action, setAction] = useState('');
  const [result, setResult] = useState('');
  const [limit, setLimit] = useState(50);
  const filter = { principal: useSettled(principal.trim(), TYPING_DELAY_MS), action: useSettled(action.trim(), TYPING_DELAY_MS) };
  const session = useLoad((signal) => apiGet('/session', {}, { signal }), []);
  const feed = useLoad(
    (signal) => apiGet('/decisions', { principal: filter.principal, action: filter.action, decision: result, limit }, { signal }),
    [filter.principal, filter.action, result, limit],
  );
  const decisions = feed.data?.decisions ?? [];
  const principals = useMemo(() => [...new Set(decisions.map((decision) => decision.principal))].sort(), [decisions]);
  const actions = useMemo(() => [...new Set(decisions.map((decision) => decision.action))].sort(), [decisions]);
  const firstRefused = decisions.find((decision) => decision.decision !== 'allowed')?.principal;
  // Busy while the rows shown are not yet those of the filters: loading, or a typed filter not settled yet.
  const isBusy = feed.isLoading || filter.principal !== principal.trim() || filter.action !== action.trim();

  return html`
    <h1>Access</h1>
    <p>What the policies decided lately on both planes, newest first.${session.data?.iamMode === 'off' ? ' IAM is off (--iam off): requests are not decided by policies, so the feed stays empty; start the emulator with --iam soft or --iam enforce.' : ''}</p>
    <form class="toolbar" aria-label="Filter decisions" onSubmit=${(event) => event.preventDefault()}>
      <div class="field">
        <label for="filter-principal">Principal (ARN)</label>
        <input id="filter-principal" list="known-principals" value=${principal} placeholder="arn:aws:iam::…" onInput=${(event) => setPrincipal(event.currentTarget.value)} />
        <datalist id="known-principals">${principals.map((candidate) => html`<option key=${candidate} value=${candidate}></option>`)}</datalist>
      </div>
      <div class="field">
        <label for="filter-action">Action</label>
        <input id="filter-action" list="known-actions" value=${action} placeholder="ecr:BatchGetImage" onInput=${(event) => setAction(event.currentTarget.value)} />
        <datalist id="known-actions">${actions.map((candidate) => html`<option key=${candidate} value=${candidate}></option>`)}</datalist>
      </div>
      <div class="field">
        <label for="filter-result">Result</label>
        <select id="filter-result" value=${result} onChange=${(event) => setResult(event.currentTarget.value)}>
          ${RESULTS.map(([value, label]) => html`<option key=${value} value=${value}>${label}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="filter-limit">Show</label>
        <select id="filter-limit" value=${String(limit)} onChange=${(event) => setLimit(Number(event.currentTarget.value))}>
          ${LIMITS.map((value) => html`<option key=${value} value=${String(value)}>${value}</option>`)}
        </select>
      </div>
      <button type="button" onClick=${feed.reload}>Refresh</button>
    </form>
    <${LoadStatus} state=${feed} what="decisions" />
    <section aria-labelledby="decisions-title" aria-busy=${isBusy ? 'true' : 'false'}>
      <h2 id="decisions-title">Decisions</h2>
      ${feed.data !== undefined && decisions.length === 0 ? html`<p class="empty">No decision matches.</p>` : null}
      ${decisions.length > 0 ? html`<${DecisionTable} decisions=${decisions} />` : null}
    </section>
    <${SuggestedPolicy} principals=${principals} preferred=${filter.principal !== '' ? filter.principal : firstRefused} />
  `;
}

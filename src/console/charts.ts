/**
 * A chart on a console page: a canvas Chart.js draws from the figures in a JSON block beside it,
 * and the same figures as a table (read by screen readers, shown when scripts are off).
 */
import { html, raw } from 'hono/html';
import type { Html } from './layout.ts';

export interface ChartSpec {
  type: 'bar' | 'line';
  labels: string[];
  /** null is a gap: a line is broken there, and the table shows a dash. */
  datasets: { label: string; data: (number | null)[] }[];
  stacked?: boolean;
  horizontal?: boolean;
  /** Show the legend even with one series (it carries the count and score). */
  legend?: boolean;
}

/** JSON that is safe inside a script element (no closing tag can be formed). */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

export function chart(id: string, caption: string, spec: ChartSpec): Html {
  return html`<figure class="card" aria-labelledby="${id}-caption">
  <h2 id="${id}-caption">${caption}</h2>
  <div class="chart"><canvas id="${id}" role="img" aria-label="${caption}"></canvas></div>
  <script type="application/json" data-chart="${id}">${raw(scriptJson(spec))}</script>
  <table class="sr" data-figures="${id}">
    <caption>${caption}</caption>
    <thead><tr><th scope="col"></th>${spec.datasets.map((d) => html`<th scope="col">${d.label}</th>`)}</tr></thead>
    <tbody>${spec.labels.map(
      (label, i) =>
        html`<tr><th scope="row">${label}</th>${spec.datasets.map((d) => html`<td>${d.data[i] === null ? '—' : (d.data[i] ?? 0)}</td>`)}</tr>`,
    )}</tbody>
  </table>
</figure>`;
}

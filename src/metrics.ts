/**
 * Counters an operator watches, kept in memory per instance and shown at GET /metrics in
 * Prometheus's text format, next to backlog gauges read from the database at scrape time.
 * Label values come from verified deliveries only, and each counter keeps at most
 * `maxSeries` label sets (the rest are counted under "other"), so a flood of odd event types
 * cannot grow memory.
 */

export const counterHelp = {
  tongxin_lark_deliveries_total:
    'Lark deliveries (webhook and long connection) by outcome: accepted, duplicate, ignored or refused.',
} as const;

export type CounterName = keyof typeof counterHelp;
export type Labels = Readonly<Record<string, string>>;

export interface Metrics {
  count(name: CounterName, labels?: Labels): void;
  /** Current value, for tests and the text rendering. */
  value(name: CounterName, labels?: Labels): number;
  render(gauges?: readonly Gauge[]): string;
}

export interface Gauge {
  name: string;
  help: string;
  value: number;
  labels?: Labels;
}

const maxSeries = 200;

const escapeLabel = (value: string) =>
  value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

function labelText(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}="${escapeLabel(labels[k]!)}"`).join(',')}}`;
}

export function createMetrics(): Metrics {
  const series = new Map<CounterName, Map<string, number>>();
  const seriesOf = (name: CounterName) => {
    let map = series.get(name);
    if (!map) {
      map = new Map();
      series.set(name, map);
    }
    return map;
  };

  return {
    count(name, labels = {}) {
      const map = seriesOf(name);
      let key = labelText(labels);
      if (!map.has(key) && map.size >= maxSeries) key = labelText({ overflow: 'other' });
      map.set(key, (map.get(key) ?? 0) + 1);
    },
    value(name, labels = {}) {
      return seriesOf(name).get(labelText(labels)) ?? 0;
    },
    render(gauges = []) {
      const lines: string[] = [];
      for (const name of Object.keys(counterHelp) as CounterName[]) {
        lines.push(`# HELP ${name} ${counterHelp[name]}`, `# TYPE ${name} counter`);
        for (const [key, value] of seriesOf(name)) lines.push(`${name}${key} ${value}`);
      }
      const seen = new Set<string>();
      for (const gauge of gauges) {
        if (!seen.has(gauge.name)) {
          seen.add(gauge.name);
          lines.push(`# HELP ${gauge.name} ${gauge.help}`, `# TYPE ${gauge.name} gauge`);
        }
        lines.push(`${gauge.name}${labelText(gauge.labels ?? {})} ${gauge.value}`);
      }
      return `${lines.join('\n')}\n`;
    },
  };
}

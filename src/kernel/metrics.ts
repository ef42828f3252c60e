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
  tongxin_outbox_sends_total:
    'Sends by this instance, by channel and outcome: sent, retry (refused for now) or failed (given up).',
  tongxin_schedule_runs_total:
    'Schedule fire times by kind and outcome: claimed (run on time or caught up), missed (too old), manual (run now) or failed.',
  tongxin_poll_votes_total:
    'Poll answers by channel and outcome: recorded (or changed), refused, or failed (after a card was answered "still being processed"). No poll or voter labels.',
  tongxin_poll_card_answers_total:
    'Answers to poll card presses in Lark: result (the vote\'s own result in time), pending (answered "still being processed" before Lark\'s 3 s; the vote is cast after) or busy (too many votes waiting; nothing cast).',
} as const;

export const histogramHelp = {
  tongxin_http_request_duration_seconds: 'HTTP request duration by method, route and status class.',
} as const;

export type HistogramName = keyof typeof histogramHelp;

/** Upper bounds in seconds, from a quick acknowledgement to a slow export. */
const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type CounterName = keyof typeof counterHelp;
export type Labels = Readonly<Record<string, string>>;

export interface Metrics {
  count(name: CounterName, labels?: Labels): void;
  /** Current value, for tests and the text rendering. */
  value(name: CounterName, labels?: Labels): number;
  /** Records one observation (seconds) in a histogram. */
  observe(name: HistogramName, labels: Labels, seconds: number): void;
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

/** One histogram's series: its labels, its counts per bucket, and their sum and number. */
interface HistogramSeries {
  labels: Labels;
  counts: number[];
  sum: number;
  n: number;
}

/** Every counter's and histogram's series, by label text. */
interface Store {
  series: Map<CounterName, Map<string, number>>;
  histograms: Map<HistogramName, Map<string, HistogramSeries>>;
}

export function createMetrics(): Metrics {
  const store: Store = { series: new Map(), histograms: new Map() };
  return {
    observe: (name, labels, seconds) => observe(store, name, labels, seconds),
    count(name, labels = {}) {
      const map = seriesOf(store, name);
      let key = labelText(labels);
      if (!map.has(key) && map.size >= maxSeries) key = labelText({ overflow: 'other' });
      map.set(key, (map.get(key) ?? 0) + 1);
    },
    value(name, labels = {}) {
      return seriesOf(store, name).get(labelText(labels)) ?? 0;
    },
    render: (gauges = []) =>
      `${[...counterLines(store), ...histogramLines(store), ...gaugeLines(gauges)].join('\n')}\n`,
  };
}

function seriesOf(store: Store, name: CounterName): Map<string, number> {
  let map = store.series.get(name);
  if (!map) {
    map = new Map();
    store.series.set(name, map);
  }
  return map;
}

function observe(store: Store, name: HistogramName, labels: Labels, seconds: number): void {
  let map = store.histograms.get(name);
  if (!map) {
    map = new Map();
    store.histograms.set(name, map);
  }
  let key = labelText(labels);
  let current = map.get(key);
  if (!current && map.size >= maxSeries) {
    key = labelText({ overflow: 'other' });
    current = map.get(key);
  }
  if (!current) {
    current = {
      labels: map.size >= maxSeries ? { overflow: 'other' } : labels,
      counts: buckets.map(() => 0),
      sum: 0,
      n: 0,
    };
    map.set(key, current);
  }
  buckets.forEach((bound, i) => {
    if (seconds <= bound) current.counts[i]!++;
  });
  current.sum += seconds;
  current.n++;
}

function counterLines(store: Store): string[] {
  const lines: string[] = [];
  for (const name of Object.keys(counterHelp) as CounterName[]) {
    lines.push(`# HELP ${name} ${counterHelp[name]}`, `# TYPE ${name} counter`);
    for (const [key, value] of seriesOf(store, name)) lines.push(`${name}${key} ${value}`);
  }
  return lines;
}

function histogramLines(store: Store): string[] {
  const lines: string[] = [];
  for (const name of Object.keys(histogramHelp) as HistogramName[]) {
    lines.push(`# HELP ${name} ${histogramHelp[name]}`, `# TYPE ${name} histogram`);
    for (const { labels, counts, sum, n } of store.histograms.get(name)?.values() ?? []) {
      buckets.forEach((bound, i) => {
        lines.push(`${name}_bucket${labelText({ ...labels, le: String(bound) })} ${counts[i]}`);
      });
      lines.push(`${name}_bucket${labelText({ ...labels, le: '+Inf' })} ${n}`);
      lines.push(`${name}_sum${labelText(labels)} ${sum}`, `${name}_count${labelText(labels)} ${n}`);
    }
  }
  return lines;
}

/** Gauges read at scrape time: a name's HELP and TYPE once, before its first value. */
function gaugeLines(gauges: readonly Gauge[]): string[] {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const gauge of gauges) {
    if (!seen.has(gauge.name)) {
      seen.add(gauge.name);
      lines.push(`# HELP ${gauge.name} ${gauge.help}`, `# TYPE ${gauge.name} gauge`);
    }
    lines.push(`${gauge.name}${labelText(gauge.labels ?? {})} ${gauge.value}`);
  }
  return lines;
}

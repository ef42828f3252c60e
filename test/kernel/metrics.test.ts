import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/kernel/metrics.ts';

describe('metrics', () => {
  it('counts per label set, escapes label values and renders the text format', () => {
    const metrics = createMetrics();
    metrics.count('tongxin_lark_deliveries_total', {
      outcome: 'accepted',
      event_type: 'im.message.receive_v1',
    });
    metrics.count('tongxin_lark_deliveries_total', {
      event_type: 'im.message.receive_v1',
      outcome: 'accepted',
    });
    metrics.count('tongxin_lark_deliveries_total', { outcome: 'ignored', event_type: 'a"b\\c\nd' });
    const text = metrics.render([{ name: 'tongxin_x', help: 'X.', value: 3, labels: { status: 'pending' } }]);
    expect(text).toContain('# TYPE tongxin_lark_deliveries_total counter');
    expect(text).toContain(
      'tongxin_lark_deliveries_total{event_type="im.message.receive_v1",outcome="accepted"} 2',
    );
    expect(text).toContain('tongxin_lark_deliveries_total{event_type="a\\"b\\\\c\\nd",outcome="ignored"} 1');
    expect(text).toContain('# TYPE tongxin_x gauge\ntongxin_x{status="pending"} 3');
  });

  it('renders histograms with cumulative buckets, a sum and a count', () => {
    const metrics = createMetrics();
    const labels = { method: 'GET', route: '/healthz', status: '2xx' };
    metrics.observe('tongxin_http_request_duration_seconds', labels, 0.003);
    metrics.observe('tongxin_http_request_duration_seconds', labels, 0.2);
    metrics.observe('tongxin_http_request_duration_seconds', labels, 30);
    const text = metrics.render();
    const series = '{le="0.005",method="GET",route="/healthz",status="2xx"}';
    expect(text).toContain('# TYPE tongxin_http_request_duration_seconds histogram');
    expect(text).toContain(`tongxin_http_request_duration_seconds_bucket${series} 1`);
    expect(text).toContain(
      'tongxin_http_request_duration_seconds_bucket{le="0.25",method="GET",route="/healthz",status="2xx"} 2',
    );
    expect(text).toContain(
      'tongxin_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/healthz",status="2xx"} 3',
    );
    expect(text).toContain(
      'tongxin_http_request_duration_seconds_count{method="GET",route="/healthz",status="2xx"} 3',
    );
    expect(text).toContain(
      'tongxin_http_request_duration_seconds_sum{method="GET",route="/healthz",status="2xx"} 30.203',
    );
  });

  it('keeps a bounded number of label sets, counting the rest together', () => {
    const metrics = createMetrics();
    for (let i = 0; i < 500; i++) metrics.count('tongxin_lark_deliveries_total', { event_type: `t${i}` });
    const lines = metrics
      .render()
      .split('\n')
      .filter((l) => l.startsWith('tongxin_lark_deliveries_total'));
    expect(lines).toHaveLength(201);
    expect(lines).toContain('tongxin_lark_deliveries_total{overflow="other"} 300');
  });
});

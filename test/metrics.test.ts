import { describe, expect, it } from 'vitest';
import { createMetrics } from '../src/metrics.ts';

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

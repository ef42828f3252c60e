/**
 * One log line per request: method, path, status and duration. No query string, body or cookie.
 * The duration also goes into the latency histogram, labelled by route pattern (never the raw
 * path, so ids do not multiply the series).
 */
import { createMiddleware } from 'hono/factory';
import type { Logger } from '../kernel/log.ts';
import type { Metrics } from '../kernel/metrics.ts';

export function accessLog(log: Logger, metrics?: Metrics) {
  return createMiddleware(async (c, next) => {
    const started = performance.now();
    await next();
    // Long polls and health checks are frequent and uneventful: debug only. So are Lark's
    // deliveries, which come by the thousand in a burst (a line each would slow their answers);
    // they are counted in tongxin_lark_deliveries_total, and a refused one is logged as such.
    const quiet =
      c.req.path === '/healthz' ||
      (c.req.method === 'GET' && c.req.path === '/chat/messages') ||
      (c.req.method === 'POST' && c.req.path === '/webhooks/lark');
    const line = {
      method: c.req.method,
      path: c.req.path.slice(0, 200),
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    };
    metrics?.observe(
      'tongxin_http_request_duration_seconds',
      {
        method: c.req.method,
        route: c.req.routePath || 'unmatched',
        status: `${Math.floor(c.res.status / 100)}xx`,
      },
      (performance.now() - started) / 1000,
    );
    if (quiet && c.res.status < 400) log.debug('http.request', line);
    else log.info('http.request', line);
  });
}

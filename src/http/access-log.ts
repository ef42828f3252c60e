/** One log line per request: method, path, status and duration. No query string, body or cookie. */
import { createMiddleware } from 'hono/factory';
import type { Logger } from '../log.ts';

export function accessLog(log: Logger) {
  return createMiddleware(async (c, next) => {
    const started = performance.now();
    await next();
    // Long polls and health checks are frequent and uneventful: debug only.
    const quiet = c.req.path === '/healthz' || (c.req.method === 'GET' && c.req.path === '/chat/messages');
    const line = {
      method: c.req.method,
      path: c.req.path.slice(0, 200),
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    };
    if (quiet && c.res.status < 400) log.debug('http.request', line);
    else log.info('http.request', line);
  });
}

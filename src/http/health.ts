/** GET /healthz: 200 {"status":"ok"} when the database answers, 503 otherwise. */
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import type { Db } from '../../db/handle.ts';

export function healthRoutes(db: Db) {
  return new Hono().get('/healthz', async (c) => {
    try {
      await Promise.race([
        db.execute(sql`select 1`),
        new Promise((_, reject) => setTimeout(() => reject(new Error('health check timed out')), 2000)),
      ]);
      return c.json({ status: 'ok' });
    } catch {
      return c.json({ status: 'unavailable' }, 503);
    }
  });
}

import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { isUniqueViolation } from '../../db/errors.ts';
import { queryRows } from '../../db/handle.ts';
import { channelIdentities, inbox, people } from '../../db/schema/index.ts';
import { databaseKinds, useDatabase } from '../support/databases.ts';

describe.each(databaseKinds)('migrations on %s', (kind) => {
  const database = useDatabase(kind);

  it('creates every table, and applying again changes nothing', async () => {
    await database.migrate();
    const rows = await queryRows<{ table_name: string }>(
      database.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    expect(rows.map((r) => r.table_name)).toEqual([
      'attachments',
      'audit_log',
      'binding_codes',
      'channel_identities',
      'congress_sessions',
      'console_links',
      'console_sessions',
      'conversations',
      'directory_syncs',
      'inbox',
      'leases',
      'motion_cosigners',
      'news_items',
      'news_opt_outs',
      'news_recipients',
      'officer_units',
      'org_units',
      'outbox',
      'people',
      'person_limits',
      'poll_postings',
      'poll_secrets',
      'poll_votes',
      'polls',
      'recent_deliveries',
      'reference_counters',
      'roster_imports',
      'schedule_runs',
      'schedules',
      'send_budget',
      'submission_events',
      'submissions',
      'web_chat_messages',
      'web_visitors',
    ]);
  });

  it('keeps one identity per channel and external id, as a recognisable unique violation', async () => {
    const [person] = await database.db.insert(people).values({ displayName: '张师傅' }).returning();
    const identity = { personId: person!.id, channel: 'lark' as const, externalId: 'ou_123' };
    await database.db.insert(channelIdentities).values(identity);
    const error = await database.db
      .insert(channelIdentities)
      .values(identity)
      .then(() => null)
      .catch((e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
    await database.db.insert(channelIdentities).values({ ...identity, channel: 'wechat' });
  });

  it('refuses a second inbox row with the same dedupe key', async () => {
    const row = { channel: 'web' as const, dedupeKey: 'web:v:1', conversationKey: 'web:v', payload: {} };
    await database.db.insert(inbox).values(row);
    const again = await database.db.insert(inbox).values(row).onConflictDoNothing().returning();
    expect(again).toEqual([]);
  });
});

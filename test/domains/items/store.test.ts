import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/handle.ts';
import {
  auditLog,
  channelIdentities,
  inbox,
  people,
  submissionEvents,
  submissions,
} from '../../../db/schema/index.ts';
import { authorOf } from '../../../src/domains/items/authors.ts';
import {
  launderAnonymousItems,
  sealAllLegacyAuthors,
  sealLegacyAuthors,
} from '../../../src/domains/items/launder.ts';
import { nextReferenceCode } from '../../../src/domains/items/reference-codes.ts';
import { createSuggestion, listMine } from '../../../src/domains/items/store.ts';
import { resolvePerson } from '../../../src/domains/people/people.ts';
import { createKeyRing, generateDataKey } from '../../../src/kernel/crypto/sealed.ts';
import { errorFields } from '../../../src/kernel/log.ts';
import { databaseKinds, useDatabase } from '../../support/databases.ts';

const keyRing = createKeyRing(generateDataKey());

describe.each(databaseKinds)('store on %s', (kind) => {
  const database = useDatabase(kind);

  it('numbers reference codes per prefix and year, without gaps or repeats under concurrency', async () => {
    const codes = await Promise.all(
      Array.from({ length: 20 }, () => database.db.transaction((tx) => nextReferenceCode(tx, 'JY', 2026))),
    );
    expect(new Set(codes).size).toBe(20);
    expect([...codes].sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `JY-2026-${String(i + 1).padStart(4, '0')}`),
    );
    expect(await nextReferenceCode(database.db, 'JY', 2027)).toBe('JY-2027-0001');
    expect(await nextReferenceCode(database.db, 'TA', 2026)).toBe('TA-2026-0001');
  });

  it('numbers a suggestion filed at 00:30 on 1 January in Shanghai with the new year', async () => {
    const person = await resolvePerson(database.db, { channel: 'web', sender: { externalId: 'v_newyear' } });
    const receipt = await database.db.transaction((tx) =>
      createSuggestion(
        tx,
        {
          title: '新年第一条',
          category: 'other',
          description: '新年第一条建议的具体内容。',
          benefit: '',
          anonymous: false,
        },
        {
          personId: person.id,
          channel: 'web',
          chatId: 'v_newyear',
          now: new Date('2026-12-31T16:30:00Z'),
          timeZone: 'Asia/Shanghai',
          keyRing,
        },
      ),
    );
    expect(receipt.referenceCode).toBe('JY-2027-0002');
  });

  it('creates one person per channel identity, even when asked concurrently', async () => {
    const inbound = {
      channel: 'lark' as const,
      sender: { externalId: 'ou_concurrent', displayName: '李班长' },
    };
    const resolved = await Promise.all(
      Array.from({ length: 5 }, () => database.db.transaction((tx) => resolvePerson(tx, inbound))),
    );
    expect(new Set(resolved.map((p) => p.id)).size).toBe(1);
    const identities = await database.db
      .select()
      .from(channelIdentities)
      .where(eq(channelIdentities.externalId, 'ou_concurrent'));
    expect(identities).toHaveLength(1);
    const [person] = await database.db.select().from(people).where(eq(people.id, identities[0]!.personId));
    expect(person?.displayName).toBe('李班长');
  });

  it('lists a person’s own items newest first, with the total', async () => {
    const person = await resolvePerson(database.db, { channel: 'web', sender: { externalId: 'v_mine' } });
    for (let i = 1; i <= 3; i++) {
      await database.db.transaction((tx) =>
        createSuggestion(
          tx,
          {
            title: `建议${i}`,
            category: 'cost',
            description: '足够长的描述内容。',
            benefit: '',
            anonymous: false,
          },
          {
            personId: person.id,
            channel: 'web',
            chatId: 'v_mine',
            now: new Date(Date.UTC(2026, 2, i)),
            timeZone: 'Asia/Shanghai',
            keyRing,
          },
        ),
      );
    }
    const mine = await listMine(database.db, keyRing, person.id, 2);
    expect(mine.total).toBe(3);
    expect(mine.items.map((i) => i.title)).toEqual(['建议3', '建议2']);
    const rows = await database.db.select().from(submissions).where(eq(submissions.personId, person.id));
    expect(rows.every((r) => r.status === 'submitted')).toBe(true);
  });

  it('keeps an anonymous item’s author only sealed, finds it for them alone, and launders its transaction', async () => {
    const author = await resolvePerson(database.db, {
      channel: 'web',
      sender: { externalId: 'v_anon_author' },
    });
    const other = await resolvePerson(database.db, {
      channel: 'web',
      sender: { externalId: 'v_anon_other' },
    });
    const receipt = await database.db.transaction((tx) =>
      createSuggestion(
        tx,
        {
          title: '夜班照明不足',
          category: 'safety',
          description: '二号车间夜班照明太暗。',
          benefit: '',
          anonymous: true,
        },
        {
          personId: author.id,
          channel: 'web',
          chatId: 'v_anon_author',
          now: new Date('2026-03-05T03:17:42Z'),
          timeZone: 'Asia/Shanghai',
          keyRing,
        },
      ),
    );
    const [row] = await database.db
      .select()
      .from(submissions)
      .where(eq(submissions.referenceCode, receipt.referenceCode));
    expect(row).toMatchObject({ personId: null, originChannel: null, originChatId: null, launderDue: true });
    expect(row!.authorSeal).toMatch(/^tx1\./);
    expect(`${row!.authorSeal}${row!.authorTag}`).not.toContain(author.id);
    // Kept to the minute: no stored time equals that of the message that filed it.
    expect(row!.createdAt.toISOString()).toBe('2026-03-05T03:17:00.000Z');
    expect(await authorOf(keyRing, row!)).toEqual({
      personId: author.id,
      channel: 'web',
      chatId: 'v_anon_author',
    });
    expect((await listMine(database.db, keyRing, author.id, 10)).items.map((i) => i.title)).toContain(
      '夜班照明不足',
    );
    expect((await listMine(database.db, keyRing, other.id, 10)).items).toEqual([]);
    // Another key ring (a copy of the database without the data key) finds nothing.
    expect((await listMine(database.db, createKeyRing(generateDataKey()), author.id, 10)).items).toEqual([]);

    const xmin = async () =>
      (
        await queryRows<{ x: string }>(
          database.db,
          sql`select xmin::text as x from submissions where reference_code = ${receipt.referenceCode}`,
        )
      )[0]!;
    const before = await xmin();
    expect(await launderAnonymousItems(database.db)).toBe(1);
    expect((await xmin()).x).not.toBe(before.x);
    expect(await launderAnonymousItems(database.db)).toBe(0);
  });

  it('seals the author of an anonymous item an earlier release stored in clear, and takes their name off it', async () => {
    const author = await resolvePerson(database.db, {
      channel: 'lark',
      sender: { externalId: 'ou_legacy_author' },
    });
    // As an earlier release wrote it: the author in clear (the new rule holds only for new rows).
    await database.db.execute(sql`alter table submissions drop constraint submissions_author_ck`);
    const [row] = await database.db
      .insert(submissions)
      .values({
        kind: 'suggestion',
        referenceCode: 'JY-2025-0901',
        personId: author.id,
        originChannel: 'lark',
        originChatId: 'oc_legacy_author',
        status: 'submitted',
        title: '旧版匿名建议',
        category: 'other',
        details: { description: '旧版本保存的匿名建议。', benefit: '' },
        anonymous: true,
        createdAt: new Date('2025-09-01T06:07:08.123Z'),
      })
      .returning();
    await database.db.insert(submissionEvents).values({
      submissionId: row!.id,
      at: new Date('2025-09-01T06:07:08.123Z'),
      actorType: 'person',
      actorId: author.id,
      type: 'submitted',
      toStatus: 'submitted',
    });
    await database.db.insert(auditLog).values({
      at: new Date('2025-09-01T06:07:08.123Z'),
      actorType: 'person',
      actorId: author.id,
      action: 'submission.create',
      subjectType: 'submission',
      subjectId: 'JY-2025-0901',
      detail: { anonymous: true },
    });
    await database.db.execute(sql`alter table submissions add constraint submissions_author_ck check (
      (anonymous and person_id is null and origin_chat_id is null and author_seal is not null and author_tag is not null)
      or (not anonymous and person_id is not null and origin_channel is not null and origin_chat_id is not null)) not valid`);

    await sealAllLegacyAuthors(database.db, keyRing);
    const [sealed] = await database.db.select().from(submissions).where(eq(submissions.id, row!.id));
    expect(sealed).toMatchObject({
      personId: null,
      originChannel: null,
      originChatId: null,
      launderDue: true,
    });
    expect(sealed!.createdAt.toISOString()).toBe('2025-09-01T06:07:00.000Z');
    expect(await authorOf(keyRing, sealed!)).toEqual({
      personId: author.id,
      channel: 'lark',
      chatId: 'oc_legacy_author',
    });
    const rows = await queryRows<{ row: string }>(
      database.db,
      sql`select row_to_json(t)::text as row from (
            select * from submission_events where submission_id = ${row!.id}) t
          union all select row_to_json(a)::text from (select * from audit_log where subject_id = 'JY-2025-0901') a`,
    );
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.row).not.toContain(author.id);
      expect(r.row).toContain('"actor_type":"author"');
    }
    expect((await listMine(database.db, keyRing, author.id, 10)).items.map((i) => i.title)).toContain(
      '旧版匿名建议',
    );
    // Nothing left to seal.
    expect(await sealLegacyAuthors(database.db, keyRing)).toBe(0);
  });

  it('logs a failed query by its database error and statement, never by its values', async () => {
    const secret = '我的工资被拖欠了三个月';
    const row = {
      channel: 'web' as const,
      dedupeKey: 'dup-key',
      conversationKey: 'web:x',
      payload: { text: secret },
    };
    await database.db.insert(inbox).values(row);
    const error = await database.db
      .insert(inbox)
      .values(row)
      .then(() => null)
      .catch((e: unknown) => e);
    const fields = errorFields(error);
    expect(fields.code).toBe('23505');
    expect(String(fields.statement)).toContain('insert into "inbox"');
    expect(JSON.stringify(fields)).not.toContain(secret);
    expect(JSON.stringify(fields)).not.toContain('dup-key');
  });
});

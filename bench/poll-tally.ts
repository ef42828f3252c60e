/**
 * The poll store in process, on PostgreSQL, for the polls benchmark (see polls.ts): a poll holding
 * 100,000 votes written straight into the table, counted by `tallyPoll` and closed by `closePoll`
 * (with one click arriving during the close), and `castVote` called directly, 20 at a time.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../db/handle.ts';
import { createKeyRing, generateDataKey } from '../src/crypto/sealed.ts';
import { castVote, closePoll, createPoll, openDuePoll, tallyPoll } from '../src/store/polls.ts';

/** The key ring the polls' secrets are sealed with, as the server's. */
const keys = createKeyRing(generateDataKey());

export const tallyVotes = Number(process.env.BENCH_POLL_TALLY ?? 100_000);
export const directVotes = Number(process.env.BENCH_POLL_DIRECT ?? 10_000);
export const directParallel = 20;
export const lateClickAfterMs = 200;
const timeZone = 'Asia/Shanghai';

export interface TallyFigure {
  votes: number;
  firstMs: number;
  medianMs: number;
  closeMs: number;
  /** How long a vote cast `lateClickAfterMs` into the close took to be answered (refused: closed). */
  lateMs: number;
  closedAnswers: number;
}

export interface DirectFigure {
  votes: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  stored: number;
}

/** Small figures helpers, shared with polls.ts. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const at = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
export const round1 = (n: number) => Math.round(n * 10) / 10;
export const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function count(db: Db, query: ReturnType<typeof sql>): Promise<number> {
  const result = (await db.execute(query)) as unknown as { rows: { n: number | string }[] };
  return Number(result.rows[0]?.n ?? 0);
}

/** A poll opened in the store (secret and group postings written), without the server. */
async function openedPoll(db: Db, groups: number, allowComment: boolean) {
  const now = new Date();
  const poll = await createPoll(
    db,
    {
      question: '您对本年度福利发放方式的意见',
      kind: 'single',
      options: ['现金', '购物卡', '实物', '体检'],
      allowComment,
      audience: {
        kind: 'chats',
        chats: Array.from({ length: groups }, (_, i) => ({ channel: 'lark', chatId: `oc_tally_${i}` })),
      },
      opensAt: now,
      closesAt: new Date(now.getTime() + 3_600_000),
      threshold: 5,
      commentThreshold: 10,
      remindAfterMinutes: null,
    },
    { now },
  );
  const opened = await openDuePoll(db, { now, timeZone, keys });
  if (opened?.id !== poll.id) throw new Error('the poll did not open');
  return opened;
}

async function tallyRound(db: Db) {
  const poll = await openedPoll(db, 10, true);
  // Tokens as HMACs look (64 hex), four answers, ten groups, 2% with a comment, cast over a week.
  await db.execute(sql`
    insert into poll_votes (poll_id, token, answer, comment, segment, voted_on)
    select ${poll.id}::uuid, encode(sha256(convert_to(${poll.id} || ':' || g, 'UTF8')), 'hex'),
           (1 + floor(random() * 4))::smallint,
           case when random() < 0.02 then '建议增加选项 ' || g end,
           1 + g % 10, current_date - (g % 7)
    from generate_series(1, ${tallyVotes}) g`);
  // As autovacuum would have done over the days the poll was open.
  await db.execute(sql`analyze poll_votes`);
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const results = await tallyPoll(db, poll);
    times.push(performance.now() - t0);
    if (results.answers !== tallyVotes) throw new Error(`tally counted ${results.answers}`);
  }
  // A click that arrives while the poll closes waits for the close's lock on the poll row.
  const t0 = performance.now();
  const closing = closePoll(db, poll.id, { now: new Date(), timeZone });
  await sleep(lateClickAfterMs);
  const t1 = performance.now();
  const late = await castVote(db, {
    pollId: poll.id,
    voter: { channel: 'lark', sender: { externalId: 'ou_late' } },
    chatId: 'oc_tally_0',
    answer: 1,
    now: new Date(),
    timeZone,
    keys,
  });
  const lateMs = performance.now() - t1;
  const closed = await closing;
  const closeMs = performance.now() - t0;
  if (late.outcome !== 'closed') throw new Error(`a click during the close was ${late.outcome}`);
  if (closed?.status !== 'closed') throw new Error('the poll did not close');
  const secrets = await count(db, sql`select count(*) as n from poll_secrets where poll_id = ${poll.id}`);
  const left = await count(db, sql`select count(*) as n from poll_votes where poll_id = ${poll.id}`);
  if (secrets !== 0 || left !== tallyVotes) throw new Error(`after close: ${secrets} secrets, ${left} votes`);
  return {
    firstMs: times[0]!,
    medianMs: median(times),
    closeMs,
    lateMs,
    closedAnswers: closed.results?.answers ?? 0,
  };
}

/** Fresh 100,000-vote polls, one per round (each adds its votes to the table): medians. */
export async function tallyPhase(db: Db, rounds: number): Promise<TallyFigure> {
  const runs: Awaited<ReturnType<typeof tallyRound>>[] = [];
  for (let round = 0; round < rounds; round++) runs.push(await tallyRound(db));
  const mid = (pick: (r: (typeof runs)[number]) => number) => Math.round(median(runs.map(pick)));
  return {
    votes: tallyVotes,
    firstMs: mid((r) => r.firstMs),
    medianMs: mid((r) => r.medianMs),
    closeMs: mid((r) => r.closeMs),
    lateMs: mid((r) => r.lateMs),
    closedAnswers: Math.min(...runs.map((r) => r.closedAnswers)),
  };
}

export async function directPhase(db: Db): Promise<DirectFigure> {
  const poll = await openedPoll(db, 1, false);
  const latencies: number[] = [];
  let next = 0;
  let refused = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: directParallel }, async () => {
      while (next < directVotes) {
        const i = next++;
        const t0 = performance.now();
        const result = await castVote(db, {
          pollId: poll.id,
          voter: { channel: 'lark', sender: { externalId: `ou_direct_${i}` } },
          chatId: 'oc_tally_0',
          answer: 1 + (i % 4),
          now: new Date(),
          timeZone,
          keys,
        });
        latencies.push(performance.now() - t0);
        if (result.outcome !== 'recorded') refused++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  if (refused > 0) throw new Error(`${refused} direct votes were not recorded`);
  latencies.sort((a, b) => a - b);
  return {
    votes: directVotes,
    seconds: round1(seconds),
    perSecond: Math.round(directVotes / seconds),
    p50Ms: round1(at(latencies, 0.5)),
    p99Ms: round1(at(latencies, 0.99)),
    stored: await count(db, sql`select count(*) as n from poll_votes where poll_id = ${poll.id}`),
  };
}

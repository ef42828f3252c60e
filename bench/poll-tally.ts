/**
 * The poll store in process, on PostgreSQL, for the polls benchmark (see polls.ts): a poll holding
 * 100,000 sealed ballots written straight into the table, closed by `closePoll` (every ballot
 * opened, counted and written again; one click arriving during the close), and `castVote` called
 * directly, 20 at a time.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../db/handle.ts';
import { pollVotes } from '../db/schema/index.ts';
import { closePoll } from '../src/domains/polls/close.ts';
import { openDuePoll } from '../src/domains/polls/posting.ts';
import { createPoll } from '../src/domains/polls/store.ts';
import { castVote } from '../src/domains/polls/votes.ts';
import { createKeyRing, generateDataKey } from '../src/kernel/crypto/sealed.ts';

/** The key ring the polls' secrets are sealed with, as the server's. */
const keys = createKeyRing(generateDataKey());

export const tallyVotes = Number(process.env.BENCH_POLL_TALLY ?? 100_000);
export const directVotes = Number(process.env.BENCH_POLL_DIRECT ?? 10_000);
export const directParallel = 20;
export const lateClickAfterMs = 200;
const timeZone = 'Asia/Shanghai';

export interface TallyFigure {
  votes: number;
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
  // Tokens as HMACs look (64 hex), sealed ballots as castVote writes them: four answers, ten
  // groups, 2% with a comment, cast over a week.
  for (let from = 0; from < tallyVotes; from += 5000) {
    const rows = [];
    for (let g = from; g < Math.min(tallyVotes, from + 5000); g++) {
      const ballot = {
        answer: 1 + Math.floor(Math.random() * 4),
        comment: Math.random() < 0.02 ? `建议增加选项 ${g}` : null,
        segment: 1 + (g % 10),
      };
      rows.push({
        pollId: poll.id,
        token: `${poll.id.replace(/-/g, '')}${String(g).padStart(32, '0')}`,
        ballot: await keys.seal(JSON.stringify(ballot)),
        votedOn: new Date(Date.now() - (g % 7) * 86_400_000).toISOString().slice(0, 10),
      });
    }
    await db.insert(pollVotes).values(rows);
  }
  // As autovacuum would have done over the days the poll was open.
  await db.execute(sql`analyze poll_votes`);
  // A click that arrives while the poll closes waits for the close's lock on the poll row.
  const t0 = performance.now();
  const closing = closePoll(db, poll.id, { now: new Date(), timeZone, keys });
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
  if (closed.results?.answers !== tallyVotes) throw new Error(`the close counted ${closed.results?.answers}`);
  return {
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

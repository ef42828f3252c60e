/**
 * Polls under load, on PostgreSQL. Voters: 1,000 people click a poll card in a Lark group, sent as
 * signed, encrypted card callbacks to the real server process — once at random instants within
 * 10 s, once all at the same moment — and then 200 of them change their answer. Each callback is
 * timed from sent to answered against Lark's deadline (3 s: past it the person sees an error and
 * the click is not sent again), and the votes are opened and counted in the database once every
 * one is stored. The tally, the close and direct `castVote` calls are in poll-tally.ts; this file
 * runs them all and writes the "## Polls" section of BENCHMARKS.md.
 */
import { sql } from 'drizzle-orm';
import { cardAnswerBudgetMs } from '../bots/lark/answer-budget.ts';
import { larkText } from '../bots/lark/intake.ts';
import { pollValue } from '../bots/lark/render.ts';
import { voteQueueWidth } from '../bots/lark/vote-queue.ts';
import { openDatabase } from '../db/client.ts';
import type { Db } from '../db/handle.ts';
import { type VoteOutcome, voteReplies } from '../flows/polls/messages.ts';
import { openBallot } from '../src/domains/polls/votes.ts';
import { nodeAesGcm } from '../src/kernel/crypto/aes-gcm-node.ts';
import { createKeyRing, generateDataKey } from '../src/kernel/crypto/sealed.ts';
import { cardAction, delivery, larkApp, larkEnv } from '../test/support/lark-events.ts';
import { type StandIn, startLarkStandIn } from '../test/support/lark-stand-in.ts';
import { createScratchDatabase } from '../test/support/scratch-database.ts';
import { startServerProcess } from '../test/support/server-process.ts';
import {
  at,
  type DirectFigure,
  directParallel,
  directPhase,
  lateClickAfterMs,
  median,
  round1,
  sleep,
  type TallyFigure,
  tallyPhase,
} from './poll-tally.ts';
import { peakRssMb } from './rss.ts';

export const pollVoters = Number(process.env.BENCH_POLL_VOTERS ?? 1000);
export const pollWindowSeconds = 10;
export const pollChanges = Math.min(pollVoters, Number(process.env.BENCH_POLL_CHANGES ?? 200));
/** Each round uses fresh polls and fresh voters; the tables give medians. */
export const pollRounds = Number(process.env.BENCH_POLL_ROUNDS ?? 3);
const options = ['满意', '一般', '不满意'];
const adminToken = 'bench-admin-token-0123456789';
/** How long Lark waits for a card callback's answer. */
export const larkDeadlineMs = 3000;
/** The server's data key, so the benchmark can open the ballots it stored. */
const dataKey = generateDataKey();
const keys = createKeyRing(dataKey, nodeAesGcm);

/** One kind of click load through the webhook: medians over the rounds, checks over all of them. */
export interface ClickFigure {
  label: string;
  /** Clicks per round. */
  clicks: number;
  seconds: number;
  /** Clicks answered per second, first sent to last answered. */
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Answers, over all rounds, that came after Lark's deadline. */
  late: number;
  /** Answers, over all rounds, that were 200 with the vote's result (recorded, or replaced). */
  expected: number;
  /** Answers, over all rounds, that were 200 "still being processed" (the vote cast after). */
  pending: number;
  /** From the first click sent until every vote was stored as last clicked. */
  storedSeconds: number;
  /** Votes in the poll after each round, and whether their answers were exactly each voter's last click. */
  stored: number[];
  answersMatch: boolean;
}

type ClickRun = Omit<ClickFigure, 'stored'> & { stored: number };

export interface PollFigure {
  rounds: number;
  /** From the officer's POST to the card accepted by the stand-in. */
  openMs: number;
  /** The server process's peak RSS over the click rounds, and the benchmark's own over the tally. */
  serverPeakRssMb: number;
  benchPeakRssMb: number;
  clicks: ClickFigure[];
  tally: TallyFigure;
  direct: DirectFigure;
}

function summary(runs: readonly ClickRun[]): ClickFigure {
  const first = runs[0]!;
  const mid = (pick: (r: ClickRun) => number) => median(runs.map(pick));
  return {
    label: first.label,
    clicks: first.clicks,
    seconds: mid((r) => r.seconds),
    perSecond: mid((r) => r.perSecond),
    p50Ms: mid((r) => r.p50Ms),
    p95Ms: mid((r) => r.p95Ms),
    p99Ms: mid((r) => r.p99Ms),
    maxMs: mid((r) => r.maxMs),
    late: runs.reduce((n, r) => n + r.late, 0),
    expected: runs.reduce((n, r) => n + r.expected, 0),
    pending: runs.reduce((n, r) => n + r.pending, 0),
    storedSeconds: mid((r) => r.storedSeconds),
    stored: runs.map((r) => r.stored),
    answersMatch: runs.every((r) => r.answersMatch),
  };
}

/** Which reply a webhook answer's toast carries, or null when it is not a 200 with a toast. */
function toastOutcome(status: number, body: string): VoteOutcome | 'pending' | null {
  if (status !== 200) return null;
  const text = (JSON.parse(body) as { toast?: { i18n?: { en_us?: string } } }).toast?.i18n?.en_us ?? '';
  if (text.startsWith(larkText.votePending.en)) return 'pending';
  const found = Object.entries(voteReplies).find(([, reply]) => text.startsWith(reply.en));
  return (found?.[0] as VoteOutcome | undefined) ?? null;
}

interface Click {
  openId: string;
  answer: number;
}

/**
 * Sends prepared callbacks, each at its offset from the start whatever the answers (open loop),
 * timing each from the moment it is sent to the last byte of its answer.
 */
async function send(
  url: string,
  pollId: string,
  chatId: string,
  clicks: readonly Click[],
  offsetsMs: readonly number[],
) {
  const prepared = await Promise.all(
    clicks.map((c) =>
      delivery(cardAction({ openId: c.openId, chatId, value: pollValue(pollId, c.answer) }), {
        encrypt: true,
      }),
    ),
  );
  const started = performance.now();
  const answers = await Promise.all(
    prepared.map(async (item, i) => {
      const wait = started + offsetsMs[i]! - performance.now();
      if (wait > 0) await sleep(wait);
      const t0 = performance.now();
      const res = await fetch(`${url}/webhooks/lark`, {
        method: 'POST',
        headers: item.headers,
        body: item.body,
      });
      const body = await res.text();
      const end = performance.now();
      return { ms: end - t0, end, outcome: toastOutcome(res.status, body) };
    }),
  );
  const seconds = (Math.max(...answers.map((a) => a.end)) - started) / 1000;
  const sorted = answers.map((a) => a.ms).sort((a, b) => a - b);
  return { answers, seconds, sorted, started };
}

/** The votes a poll holds, and whether each answer's count (ballots opened) is what the last clicks say. */
async function stored(db: Db, pollId: string, last: ReadonlyMap<string, number>) {
  const rows = (
    (await db.execute(
      sql`select ballot, answer, comment, segment from poll_votes where poll_id = ${pollId}`,
    )) as unknown as {
      rows: {
        ballot: string | null;
        answer: number | null;
        comment: string | null;
        segment: number | null;
      }[];
    }
  ).rows;
  const have = new Map<number, number>();
  for (const row of rows) {
    const { answer } = await openBallot(keys, row);
    have.set(answer, (have.get(answer) ?? 0) + 1);
  }
  const want = new Map<number, number>();
  for (const answer of last.values()) want.set(answer, (want.get(answer) ?? 0) + 1);
  const match = have.size === want.size && [...want].every(([answer, n]) => have.get(answer) === n);
  return { total: rows.length, match };
}

/**
 * Waits until the poll holds every vote as last clicked (a press answered "still being processed"
 * is stored after its answer), for at most a minute; resolves with the last look and its time.
 */
async function settled(db: Db, pollId: string, last: ReadonlyMap<string, number>) {
  const deadline = performance.now() + 60_000;
  for (;;) {
    const check = await stored(db, pollId, last);
    if (check.match || performance.now() > deadline) return { ...check, at: performance.now() };
    await sleep(100);
  }
}

async function clickRound(
  label: string,
  ctx: { url: string; db: Db; pollId: string; chatId: string; last: Map<string, number> },
  clicks: readonly Click[],
  offsetsMs: readonly number[],
  expect: VoteOutcome,
): Promise<ClickRun> {
  const run = await send(ctx.url, ctx.pollId, ctx.chatId, clicks, offsetsMs);
  for (const c of clicks) ctx.last.set(c.openId, c.answer);
  const check = await settled(ctx.db, ctx.pollId, ctx.last);
  return {
    label,
    clicks: clicks.length,
    seconds: Math.round(run.seconds * 100) / 100,
    perSecond: Math.round(clicks.length / run.seconds),
    p50Ms: round1(at(run.sorted, 0.5)),
    p95Ms: round1(at(run.sorted, 0.95)),
    p99Ms: round1(at(run.sorted, 0.99)),
    maxMs: round1(run.sorted[run.sorted.length - 1] ?? 0),
    late: run.answers.filter((a) => a.ms > larkDeadlineMs).length,
    expected: run.answers.filter((a) => a.outcome === expect).length,
    pending: run.answers.filter((a) => a.outcome === 'pending').length,
    storedSeconds: Math.round((check.at - run.started) / 10) / 100,
    stored: check.total,
    answersMatch: check.match,
  };
}

/** Creates a poll through the officer API and waits until the server has opened it and posted its card. */
async function openPoll(url: string, standIn: StandIn, chatId: string): Promise<string> {
  const res = await fetch(`${url}/api/polls`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      question: '您对职工食堂的午餐满意吗？',
      kind: 'single',
      options,
      audience: { kind: 'chats', chats: [{ channel: 'lark', chatId }] },
      durationMinutes: 60,
    }),
  });
  if (res.status !== 201) throw new Error(`creating the poll failed: ${res.status} ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  const deadline = Date.now() + 60_000;
  while (!standIn.sent.some((m) => m.receiveId === chatId)) {
    if (Date.now() > deadline) throw new Error('the poll card was never posted');
    await sleep(20);
  }
  return id;
}

const voters = (tag: string, n: number): Click[] =>
  Array.from({ length: n }, (_, i) => ({ openId: `ou_${tag}_${i}`, answer: 1 + (i % options.length) }));

/** One round: a poll clicked at random instants, another all at once, then changes on the second. */
async function voterRound(url: string, standIn: StandIn, db: Db, round: number) {
  const t0 = performance.now();
  const spreadChat = `oc_spread_${round}`;
  const spreadPoll = await openPoll(url, standIn, spreadChat);
  const openMs = performance.now() - t0;
  const burstChat = `oc_burst_${round}`;
  const burstPoll = await openPoll(url, standIn, burstChat);
  const window = pollWindowSeconds * 1000;
  const spread = await clickRound(
    `${pollVoters} voters at random instants within ${pollWindowSeconds} s`,
    { url, db, pollId: spreadPoll, chatId: spreadChat, last: new Map() },
    voters(`spread${round}`, pollVoters),
    Array.from({ length: pollVoters }, () => Math.random() * window),
    'recorded',
  );
  const burstCtx = { url, db, pollId: burstPoll, chatId: burstChat, last: new Map<string, number>() };
  const burst = await clickRound(
    `${pollVoters} voters all at once`,
    burstCtx,
    voters(`burst${round}`, pollVoters),
    new Array<number>(pollVoters).fill(0),
    'recorded',
  );
  const changes = await clickRound(
    `${pollChanges} of them change their answer, all at once`,
    burstCtx,
    voters(`burst${round}`, pollChanges).map((c) => ({ ...c, answer: 1 + (c.answer % options.length) })),
    new Array<number>(pollChanges).fill(0),
    'replaced',
  );
  return { openMs, runs: [spread, burst, changes] };
}

async function votersPhase(scratchUrl: string, db: Db) {
  const standIn = await startLarkStandIn({ ...larkApp });
  const server = await startServerProcess({
    ...larkEnv(standIn.url),
    DATABASE_URL: scratchUrl,
    DATA_KEY: dataKey,
    ADMIN_TOKEN: adminToken,
    LARK_RATE_APP_PER_SECOND: '100000',
    LARK_RATE_APP_PER_MINUTE: '10000000',
    LARK_RATE_CHAT_PER_SECOND: '100000',
    // The load sends several messages a second from each simulated person.
    INBOUND_PER_MINUTE: '100000',
  });
  try {
    const rounds: Awaited<ReturnType<typeof voterRound>>[] = [];
    for (let round = 0; round < pollRounds; round++)
      rounds.push(await voterRound(server.url, standIn, db, round));
    return {
      openMs: Math.round(median(rounds.map((r) => r.openMs))),
      clicks: rounds[0]!.runs.map((_, i) => summary(rounds.map((r) => r.runs[i]!))),
      serverPeakRssMb: peakRssMb(server.child.pid),
    };
  } finally {
    await server.kill('SIGTERM');
    await standIn.close();
  }
}

export async function benchPolls(): Promise<PollFigure | null> {
  const scratch = await createScratchDatabase(
    process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test',
    'tongxin_bench',
  );
  if (!scratch) return null;
  const database = await openDatabase({ kind: 'postgres', url: scratch.url });
  try {
    await database.migrate();
    const { openMs, clicks, serverPeakRssMb } = await votersPhase(scratch.url, database.db);
    const tally = await tallyPhase(database.db, pollRounds);
    const direct = await directPhase(database.db);
    const benchPeakRssMb = peakRssMb(process.pid);
    return { rounds: pollRounds, openMs, clicks, tally, direct, serverPeakRssMb, benchPeakRssMb };
  } finally {
    await database.close();
    await scratch.drop();
  }
}

const storedText = (each: readonly number[]) =>
  each.every((n) => n === each[0]) ? `${each[0]} each round` : each.join(' / ');

/** The "## Polls" section of BENCHMARKS.md. */
export function pollsSection(figure: PollFigure | null): string[] {
  if (!figure) return ['## Polls', '', 'Skipped: no PostgreSQL reachable.', ''];
  const { tally, direct } = figure;
  const ofDeadline = (ms: number) => `${ms} ms (${(ms / larkDeadlineMs).toFixed(2)})`;
  const late = figure.clicks.reduce((n, c) => n + c.late, 0);
  return [
    '## Polls',
    '',
    `${figure.rounds} rounds, medians; each round has fresh polls and fresh voters. Card clicks on a single-choice poll posted to one Lark group, as signed, encrypted \`card.action.trigger\` callbacks from a load generator on the same machine to the server process on PostgreSQL (pool of 10 connections), each voter a new open_id (a new person). Every request is sent at its instant whatever the answers, and timed from sent to answered (on one machine: the network between Lark and a server adds to it). Lark waits ${larkDeadlineMs / 1000} s for the answer to a card callback: past that the person sees an error and the click is not sent again. p99 and max are also given as a share of those ${larkDeadlineMs / 1000} s. A vote not cast within ${cardAnswerBudgetMs / 1000} s of its request is answered "still being processed" and cast after (votes are cast ${voteQueueWidth} at a time, first come first served). Answers/s: clicks / (first sent to last answered); all stored: first sent until the database held every vote as last clicked (looked at every 100 ms). The votes are then opened and counted, and their answers compared with each voter's last click. The poll card reached the stand-in ${figure.openMs} ms after the officer's POST (the poll job is woken by the POST). The server's peak RSS over the click rounds: ${figure.serverPeakRssMb} MB.`,
    '',
    `| clicks | answers/s | p50 | p95 | p99 (of ${larkDeadlineMs / 1000} s) | max (of ${larkDeadlineMs / 1000} s) | answered past ${larkDeadlineMs / 1000} s | 200 with the vote's result | 200 "still being processed" | all stored after | votes stored | answers as last clicked |`,
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...figure.clicks.map(
      (c) =>
        `| ${c.label} | ${c.perSecond} (${c.clicks} in ${c.seconds} s) | ${c.p50Ms} ms | ${c.p95Ms} ms | ${ofDeadline(c.p99Ms)} | ${ofDeadline(c.maxMs)} | ${c.late} of ${c.clicks * figure.rounds} | ${c.expected} | ${c.pending} | ${c.storedSeconds} s | ${storedText(c.stored)} | ${c.answersMatch ? 'yes' : 'no'} |`,
    ),
    '',
    `Answered past Lark's ${larkDeadlineMs / 1000} s, all rows and rounds: ${late} of ${figure.clicks.reduce((n, c) => n + c.clicks * figure.rounds, 0)}.`,
    '',
    `Close, in the benchmark's own process (no server): per round a fresh poll in ten groups holding ${tally.votes.toLocaleString('en')} sealed ballots written straight into \`poll_votes\` (four answers, 2% with a comment), then \`analyze\`; \`closePoll\` once (secret deleted, every ballot opened and counted, votes rewritten in random order, results frozen and queued) with one \`castVote\` on the same poll started ${lateClickAfterMs} ms into the close (refused as closed once the close commits). Direct: \`castVote\` called ${direct.votes.toLocaleString('en')} times, ${directParallel} at a time, each a new voter, from one process with a pool of 10.`,
    '',
    `| ballots | closePoll | a click ${lateClickAfterMs} ms into the close answered after | answers in the frozen results |`,
    '|---|---|---|---|',
    `| ${tally.votes} | ${tally.closeMs} ms | ${tally.lateMs} ms | ${tally.closedAnswers} |`,
    '',
    `The benchmark process's peak RSS after the closes and direct calls: ${figure.benchPeakRssMb} MB.`,
    '',
    '| direct castVote calls | time | votes/s | p50 / p99 per call | votes stored |',
    '|---|---|---|---|---|',
    `| ${direct.votes} | ${direct.seconds} s | ${direct.perSecond} | ${direct.p50Ms} / ${direct.p99Ms} ms | ${direct.stored} |`,
    '',
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(pollsSection(await benchPolls()).join('\n'));

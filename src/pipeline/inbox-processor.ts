/**
 * The inbox processor. Takes the oldest pending event of a conversation whose earlier events
 * are all done (so each conversation is handled in order, by one worker at a time, across any
 * number of instances) and, in one transaction, advances the flow and writes the new state,
 * domain rows, timeline, audit and outbox rows, and marks the event done. A crash before the
 * commit leaves the event pending, to be processed again from scratch: exactly once.
 */
import { and, asc, eq, lte, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { ChannelName, Inbound } from '../../bots/core/messenger.ts';
import type { Db } from '../../db/handle.ts';
import { type InboxRow, inbox } from '../../db/schema/index.ts';
import type { EffectSpecs } from '../../flows/effects.ts';
import type { Engine } from '../../flows/engine/engine.ts';
import { receiveFile } from '../domains/items/file-intake.ts';
import type { KindRules } from '../domains/items/kind-rules.ts';
import { launderAnonymousItems } from '../domains/items/launder.ts';
import { personVerified, resolvePerson } from '../domains/people/people.ts';
import type { HelpAckHours, MotionRules } from '../kernel/config.ts';
import { type KeyRing, UnknownKeyError } from '../kernel/crypto/sealed.ts';
import type { Ctx } from '../kernel/ctx.ts';
import { errorFields } from '../kernel/log.ts';
import { lockConversation, saveConversation } from './conversations.ts';
import type { EffectHandlers } from './effect-handlers.ts';
import { createEffectPort } from './effects.ts';
import { openInbound } from './inbox.ts';
import { enqueue } from './outbox.ts';
import { openFlowState, sealFlowState } from './sensitive.ts';

/** What the processor reads of the context; `keys` seals what the flows hand over (help requests). */
type ProcessorCtx = Pick<Ctx, 'db' | 'now' | 'log' | 'timeZone' | 'keys' | 'publicUrl'>;

/** The processor's own settings and parts. */
interface ProcessorOptions {
  engine: Engine;
  /** Channels that keep their own copy of what people sent (web chat history) blank it here. */
  redactors?: ReadonlyMap<ChannelName, (tx: Db, inbound: Inbound) => Promise<void>>;
  /** Hours within which an officer must acknowledge a help request (default 24; 紧急 4). */
  helpAck?: HelpAckHours;
  /** Co-signers a motion needs and the days to gather them (default 2 in 7 days). */
  motionRules?: MotionRules;
  /** What each kind adds to a move beyond its lifecycle (src/domains/items/kind-rules.ts). */
  kindRules: KindRules;
  /** Attempts before an event is given up on and the person is told. */
  maxAttempts?: number;
  /** The largest photo or document taken (ATTACHMENT_MAX_MB; 10 MB unless given). */
  fileMaxBytes?: number;
  /** Every capability's effect handlers (src/runtime/effects.ts). */
  effects: EffectHandlers<EffectSpecs>;
}

const apology = {
  type: 'text' as const,
  text: '抱歉，处理您的消息时出现问题，请稍后再试或发送“菜单”。\nSorry, something went wrong with your message. Please try again later or send "menu".',
};

/** Processes at most one event; resolves to true when there was one. */
export function createInboxProcessor(ctx: ProcessorCtx, options: ProcessorOptions): () => Promise<boolean> {
  const { db, log } = ctx;
  const maxAttempts = options.maxAttempts ?? 5;
  const earlier = alias(inbox, 'earlier');

  return async () => {
    let launder = false;
    const did = await db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(inbox)
        .where(
          and(
            eq(inbox.status, 'pending'),
            lte(inbox.nextAttemptAt, sql`now()`),
            notExists(
              tx
                .select({ one: sql`1` })
                .from(earlier)
                .where(
                  and(
                    eq(earlier.conversationKey, inbox.conversationKey),
                    eq(earlier.status, 'pending'),
                    sql`${earlier.id} < ${inbox.id}`,
                  ),
                ),
            ),
          ),
        )
        .orderBy(asc(inbox.id))
        .limit(1)
        .for('update', { skipLocked: true });
      if (!row) return false;

      try {
        // A savepoint: a failure undoes this event's writes but keeps the lock to record the failure.
        launder = await tx.transaction((sp) => processEvent(sp, row, ctx, options));
        await tx.update(inbox).set({ status: 'done', processedAt: new Date() }).where(eq(inbox.id, row.id));
        log.debug('inbox.processed', { id: row.id, channel: row.channel });
      } catch (error) {
        if (error instanceof UnknownKeyError) {
          // Sealed with a key this instance does not hold (yet, during a change of DATA_KEY):
          // another instance, or this one once updated, handles it. It waits; no try is used up.
          log.warn('inbox.key_unknown', { id: row.id, channel: row.channel });
          await tx
            .update(inbox)
            .set({ nextAttemptAt: sql`now() + interval '60 seconds'` })
            .where(eq(inbox.id, row.id));
          return true;
        }
        const attempts = row.attempts + 1;
        const failed = attempts >= maxAttempts;
        log.error('inbox.error', {
          id: row.id,
          channel: row.channel,
          attempts,
          failed,
          ...errorFields(error),
        });
        await tx
          .update(inbox)
          .set({
            attempts,
            status: failed ? 'failed' : 'pending',
            lastError: describe(error),
            nextAttemptAt: sql`now() + make_interval(secs => ${2 ** attempts})`,
          })
          .where(eq(inbox.id, row.id));
        if (failed) await tellPersonItFailed(tx, row, ctx.keys);
      }
      return true;
    });
    // An anonymous item its author just wrote is written again, apart from them, at once.
    if (launder)
      await launderAnonymousItems(db).catch((error) => log.warn('launder.failed', errorFields(error)));
    return did;
  };
}

/** Processes one event; resolves to whether it wrote an anonymous item as its author (to launder). */
async function processEvent(
  tx: Db,
  row: InboxRow,
  ctx: ProcessorCtx,
  options: ProcessorOptions,
): Promise<boolean> {
  const { keys, timeZone } = ctx;
  const { engine } = options;
  const inbound = await openInbound(keys, row.payload);
  const person = await resolvePerson(tx, inbound);
  const state = await openFlowState(
    await lockConversation(tx, {
      key: row.conversationKey,
      channel: inbound.channel,
      chatId: inbound.chat.id,
      personId: person.id,
      chatType: inbound.chat.type,
    }),
    keys,
  );
  // The person's time is when they spoke, not when a backlog got to it (never later than now).
  const now = new Date(Math.min(Date.parse(inbound.receivedAt) || Date.now(), ctx.now().getTime()));
  const turn = {
    now,
    lang: person.language,
    timeZone,
    chatType: inbound.chat.type,
    role: person.role,
    verified: await personVerified(tx, person, inbound.channel),
    nameKnown: person.nameSource !== 'generated',
  };
  const port = createEffectPort(
    tx,
    {
      personId: person.id,
      inbound,
      now,
      timeZone,
      keyRing: keys,
      helpAck: options.helpAck ?? { normal: 24, urgent: 4 },
      role: person.role,
      motionRules: options.motionRules ?? { cosigners: 2, cosignDays: 7, answerDays: 90 },
      kindRules: options.kindRules,
      publicUrl: ctx.publicUrl,
      fileMaxBytes: options.fileMaxBytes ?? 10 * 1_048_576,
    },
    options.effects,
  );
  // A photo or file reaches the flows as the server's own id for it.
  const content = await receiveFile(tx, keys, person, inbound);
  const result = await engine.handle({ state, content, ctx: turn, port });
  // A flow's answers are sealed between turns, whatever the flow.
  await saveConversation(
    tx,
    row.conversationKey,
    result.state ? await sealFlowState(result.state, keys) : null,
  );
  // An answer given inside a sensitive flow (a help request) is not shown again in the channel's history.
  if (engine.isSensitive(result.state?.flow) || engine.isSensitive(state?.flow)) {
    await options.redactors?.get(inbound.channel)?.(tx, inbound);
  }
  await enqueue(
    tx,
    keys,
    result.replies.map((message) => ({
      channel: inbound.channel,
      chatId: inbound.chat.id,
      message,
      inboxId: row.id,
    })),
  );
  return port.authorWrote();
}

/** What is kept on the row about a failure: the error's name, code and message, never its data. */
function describe(error: unknown): string {
  const f = errorFields(error);
  return [f.error, f.code, f.message].filter(Boolean).join(': ').slice(0, 500);
}

async function tellPersonItFailed(tx: Db, row: InboxRow, keys: KeyRing): Promise<void> {
  const inbound = await openInbound(keys, row.payload).catch(() => null);
  if (!inbound) return;
  await enqueue(tx, keys, [
    { channel: inbound.channel, chatId: inbound.chat.id, message: apology, inboxId: row.id },
  ]);
}

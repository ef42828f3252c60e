/**
 * The channels a server speaks: the web chat always, Lark when it is configured, and whatever the
 * runtime brings (WeChat on Node). Also the per-person limits every channel's intake counts in.
 */

import type { Channel } from '../../bots/core/channel.ts';
import { createWebChannel } from '../../bots/web/index.ts';
import { previewCode } from '../domains/people/binding.ts';
import { clientSource } from '../http/client-address.ts';
import { visitorSigner } from '../kernel/crypto/visitor-signer.ts';
import type { Ctx } from '../kernel/ctx.ts';
import { channelLog, larkChannelOf, webShortcuts } from '../pipeline/channels.ts';
import { FloodGuard, type PersonLimit } from '../pipeline/flood-guard.ts';
import { SharedPersonLimit, SharedRecentKeys } from '../pipeline/person-limits.ts';
import { RecentKeys } from '../pipeline/recent-keys.ts';
import { SharedSendBudget } from '../pipeline/send-budget.ts';
import { createWebHistory } from '../pipeline/web-history.ts';
import type { ServiceDeps } from './services.ts';

/** Where the limits are counted: in this process, or in the database for every instance at once. */
export function limitsOf(ctx: Ctx, shared: boolean) {
  return {
    /** One count per person (or address) across every channel, under `name`. */
    person: (name: string, perMinute: number): PersonLimit =>
      shared
        ? new SharedPersonLimit(ctx.db, ctx.keys, name, perMinute, ctx.now)
        : new FloodGuard(perMinute, () => ctx.now().getTime()),
    /** The memory of poll answers typed by code, so a redelivery is not cast twice. */
    recentTextVotes: () => (shared ? new SharedRecentKeys(ctx.db, ctx.keys, ctx.now) : new RecentKeys()),
  };
}

export function buildChannels(ctx: Ctx, deps: ServiceDeps) {
  const { config } = deps;
  const limits = limitsOf(ctx, deps.sharedLimits === true);
  const web = createWebChannel({
    history: createWebHistory(ctx.db, ctx.keys),
    signer: visitorSigner(config.WEB_COOKIE_SECRET, ctx.keys),
    log: channelLog(ctx.log),
    now: ctx.now,
    timeZone: ctx.timeZone,
    publicUrl: ctx.publicUrl,
    shortcuts: webShortcuts,
    addressLimit: limits.person('address', config.WEB_PER_ADDRESS_PER_MINUTE),
    sourceOf: clientSource(deps.peerAddress ?? (() => undefined), config.TRUST_PROXY),
    bindingPreview: (code) => previewCode(ctx.db, ctx.keys, code, ctx.now()),
  });
  const lark = larkChannelOf(config, {
    log: ctx.log,
    metrics: ctx.metrics,
    now: ctx.now,
    ...(deps.larkCrypto ? { crypto: deps.larkCrypto } : {}),
    ...(deps.larkTransport ? { transport: deps.larkTransport } : {}),
    ...(deps.sendLimiter || deps.sharedLimits
      ? { sendLimiter: deps.sendLimiter ?? new SharedSendBudget(ctx.db) }
      : {}),
    ...(deps.larkMemo ? { memo: deps.larkMemo } : {}),
    ...(deps.larkLongConnection ? { longConnection: deps.larkLongConnection } : {}),
    ...(deps.cardAnswerMs !== undefined ? { cardAnswerMs: deps.cardAnswerMs } : {}),
  });
  const channels: Channel[] = [web, ...(lark ? [lark] : []), ...(deps.channels ?? [])];
  return { web, lark, channels, limits };
}

/**
 * One WeChat login per account, whichever of several instances holds it: an instance starts the
 * puppet (and sends WeChat messages) only while it holds the `wechat` lease in the database,
 * renewed every third of its life. An instance that cannot renew it stops its puppet before the
 * lease can lapse; one that is killed stops renewing, and another takes the lease once it has
 * lapsed and logs in in its place.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '../../db/handle.ts';
import { errorFields, type Logger } from '../log.ts';
import { holdLease, releaseLease } from '../store/leases.ts';

/** What the lease starts and stops: the WeChat link. */
export interface LeasedLink {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface WechatLease {
  /** Whether this instance holds the login now (its puppet runs and it sends WeChat rows). */
  holding(): boolean;
  /** Stops renewing; stops the puppet and gives the lease up, so another instance may log in at once. */
  stop(): Promise<void>;
}

const leaseName = 'wechat';

export function keepWechatLease(opts: {
  db: Db;
  log: Logger;
  link: LeasedLink;
  ttlSeconds: number;
  /** Who this instance is, in the lease row; unset, host, process and a random part. */
  holder?: string;
}): WechatLease {
  const { db, log, link } = opts;
  const holder = opts.holder ?? `${hostname().slice(0, 40)}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const ttlMs = opts.ttlSeconds * 1000;
  const beatMs = Math.max(100, Math.floor(ttlMs / 3));
  let held = false;
  /** Whether "another instance holds it" was said since this one last held it. */
  let saidWaiting = false;
  /** By this process's clock: when the lease last renewed would lapse, less a beat to spare. */
  let safeUntil = 0;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let beating: Promise<void> = Promise.resolve();

  async function beat() {
    const startedAt = performance.now();
    let renewed: boolean | null;
    try {
      renewed = await holdLease(db, leaseName, holder, ttlMs);
    } catch (error) {
      log.warn('wechat.lease_unreachable', errorFields(error));
      renewed = null;
    }
    if (stopped) return;
    if (renewed) safeUntil = startedAt + ttlMs - beatMs;
    // Not renewed, or the database did not answer and the lease may lapse before the next beat.
    const lost = renewed === false || (renewed === null && performance.now() >= safeUntil);
    if (renewed === false && !held && !saidWaiting) {
      saidWaiting = true;
      log.info('wechat.lease_waiting', {});
    }
    if (renewed && !held) {
      held = true;
      saidWaiting = false;
      log.info('wechat.lease_acquired', { ttlSeconds: opts.ttlSeconds });
      // Not awaited: a puppet slow to start must not hold up the renewals.
      void link.start().catch((error: unknown) => log.error('wechat.start_failed', errorFields(error)));
    } else if (lost && held) {
      held = false;
      log.warn('wechat.lease_lost', {});
      await link.stop().catch((error: unknown) => log.error('wechat.stop_failed', errorFields(error)));
    }
  }

  const loop = () => {
    if (stopped) return;
    beating = beat().finally(() => {
      if (!stopped) timer = setTimeout(loop, beatMs);
    });
  };
  loop();

  return {
    holding: () => held,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await beating.catch(() => undefined);
      if (!held) return;
      held = false;
      await link.stop().catch(() => undefined);
      await releaseLease(db, leaseName, holder).catch(() => undefined);
    },
  };
}

/**
 * One WeChat login per account, whichever of several instances holds it: an instance starts the
 * puppet (and sends WeChat messages) only while it holds the `wechat` lease in the database,
 * renewed every third of its life. An instance whose renewal is refused, or not answered in time,
 * stops its puppet before the lease can lapse; one that is killed stops renewing, and another
 * takes the lease once it has lapsed and logs in in its place.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '../../db/handle.ts';
import { errorFields, type Logger } from '../kernel/log.ts';
import { holdLease, releaseLease } from '../pipeline/leases.ts';

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
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  /**
   * Armed at each renewal, for when the lease would lapse less a beat to spare: it stops the puppet
   * whether or not the next renewal has answered, so a database that hangs rather than fails
   * cannot leave this puppet running after another instance has taken the lease.
   */
  let deadline: ReturnType<typeof setTimeout> | null = null;
  /** Starts and stops of the link, one after another, so a stop never overtakes a start. */
  let changes: Promise<void> = Promise.resolve();
  const change = (what: 'start' | 'stop') => {
    changes = changes
      .then(() => (what === 'start' ? link.start() : link.stop()))
      .catch((error: unknown) => log.error(`wechat.${what}_failed`, errorFields(error)));
    return changes;
  };
  let beating: Promise<void> = Promise.resolve();

  const lose = (why: 'taken' | 'unrenewed') => {
    if (!held) return;
    held = false;
    if (deadline) clearTimeout(deadline);
    log.warn('wechat.lease_lost', { why });
    void change('stop');
  };

  async function beat() {
    let renewed: boolean | null;
    try {
      renewed = await holdLease(db, leaseName, holder, ttlMs);
    } catch (error) {
      log.warn('wechat.lease_unreachable', errorFields(error));
      renewed = null;
    }
    if (stopped) return;
    if (renewed === false && !held && !saidWaiting) {
      saidWaiting = true;
      log.info('wechat.lease_waiting', {});
    }
    if (renewed === false) lose('taken');
    if (!renewed) return;
    // Counted from after the renewal answered: the database's expiry is later than this.
    if (deadline) clearTimeout(deadline);
    deadline = setTimeout(() => lose('unrenewed'), ttlMs - beatMs);
    if (!held) {
      held = true;
      saidWaiting = false;
      log.info('wechat.lease_acquired', { ttlSeconds: opts.ttlSeconds });
      // Not awaited: a puppet slow to start must not hold up the renewals.
      void change('start');
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
      if (deadline) clearTimeout(deadline);
      // A renewal the database does not answer is not waited for long.
      await Promise.race([
        beating.catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, beatMs)),
      ]);
      held = false;
      await change('stop');
      // Given up even if a renewal was in flight, so another instance need not wait for it to lapse.
      await releaseLease(db, leaseName, holder).catch(() => undefined);
    },
  };
}

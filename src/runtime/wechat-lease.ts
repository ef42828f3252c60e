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
  const ttlMs = opts.ttlSeconds * 1000;
  const lease: Lease = {
    ...opts,
    holder: opts.holder ?? `${hostname().slice(0, 40)}:${process.pid}:${randomUUID().slice(0, 8)}`,
    ttlMs,
    beatMs: Math.max(100, Math.floor(ttlMs / 3)),
    held: false,
    saidWaiting: false,
    stopped: false,
    timer: null,
    deadline: null,
    changes: Promise.resolve(),
    beating: Promise.resolve(),
  };
  loop(lease);
  return {
    holding: () => lease.held,
    stop: () => stop(lease),
  };
}

/** One instance's hold on the lease: what it works with, and where its renewals stand. */
interface Lease {
  db: Db;
  log: Logger;
  link: LeasedLink;
  ttlSeconds: number;
  holder: string;
  ttlMs: number;
  /** Renewed this often: a third of the lease's life. */
  beatMs: number;
  held: boolean;
  /** Whether "another instance holds it" was said since this one last held it. */
  saidWaiting: boolean;
  stopped: boolean;
  timer: ReturnType<typeof setTimeout> | null;
  /**
   * Armed at each renewal, for when the lease would lapse less a beat to spare: it stops the puppet
   * whether or not the next renewal has answered, so a database that hangs rather than fails
   * cannot leave this puppet running after another instance has taken the lease.
   */
  deadline: ReturnType<typeof setTimeout> | null;
  /** Starts and stops of the link, one after another, so a stop never overtakes a start. */
  changes: Promise<void>;
  beating: Promise<void>;
}

/** Starts or stops the link after whatever change came before. */
function change(lease: Lease, what: 'start' | 'stop'): Promise<void> {
  lease.changes = lease.changes
    .then(() => (what === 'start' ? lease.link.start() : lease.link.stop()))
    .catch((error: unknown) => lease.log.error(`wechat.${what}_failed`, errorFields(error)));
  return lease.changes;
}

function lose(lease: Lease, why: 'taken' | 'unrenewed') {
  if (!lease.held) return;
  lease.held = false;
  if (lease.deadline) clearTimeout(lease.deadline);
  lease.log.warn('wechat.lease_lost', { why });
  void change(lease, 'stop');
}

/** Renews the lease (or takes it): the link starts when it is won and stops when it is lost. */
async function beat(lease: Lease) {
  const { log } = lease;
  let renewed: boolean | null;
  try {
    renewed = await holdLease(lease.db, leaseName, lease.holder, lease.ttlMs);
  } catch (error) {
    log.warn('wechat.lease_unreachable', errorFields(error));
    renewed = null;
  }
  if (lease.stopped) return;
  if (renewed === false && !lease.held && !lease.saidWaiting) {
    lease.saidWaiting = true;
    log.info('wechat.lease_waiting', {});
  }
  if (renewed === false) lose(lease, 'taken');
  if (!renewed) return;
  // Counted from after the renewal answered: the database's expiry is later than this.
  if (lease.deadline) clearTimeout(lease.deadline);
  lease.deadline = setTimeout(() => lose(lease, 'unrenewed'), lease.ttlMs - lease.beatMs);
  if (!lease.held) {
    lease.held = true;
    lease.saidWaiting = false;
    log.info('wechat.lease_acquired', { ttlSeconds: lease.ttlSeconds });
    // Not awaited: a puppet slow to start must not hold up the renewals.
    void change(lease, 'start');
  }
}

function loop(lease: Lease) {
  if (lease.stopped) return;
  lease.beating = beat(lease).finally(() => {
    if (!lease.stopped) lease.timer = setTimeout(() => loop(lease), lease.beatMs);
  });
}

async function stop(lease: Lease) {
  lease.stopped = true;
  if (lease.timer) clearTimeout(lease.timer);
  if (lease.deadline) clearTimeout(lease.deadline);
  // A renewal the database does not answer is not waited for long.
  await Promise.race([
    lease.beating.catch(() => undefined),
    new Promise((resolve) => setTimeout(resolve, lease.beatMs)),
  ]);
  lease.held = false;
  await change(lease, 'stop');
  // Given up even if a renewal was in flight, so another instance need not wait for it to lapse.
  await releaseLease(lease.db, leaseName, lease.holder).catch(() => undefined);
}

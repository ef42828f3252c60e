/**
 * What every console page is given and sees: the console's dependencies and the signed-in user.
 * Pages import this, never the console's routes, so the shell and its pages form no circle.
 */
import type { Db } from '../../db/handle.ts';
import type { KindRules } from '../domains/items/kind-rules.ts';
import type { SignInLimit } from '../http/sign-in-limit.ts';
import type { KeyRing } from '../kernel/crypto/sealed.ts';
import type { Logger } from '../kernel/log.ts';
import type { ConsoleUser } from './sessions.ts';

export interface ConsoleDeps {
  db: Db;
  /** Counts refused sign-ins per source, and refuses a source past the limit. */
  signIns: SignInLimit;
  log: Logger;
  now: () => Date;
  timeZone: string;
  adminToken: string | undefined;
  publicUrl: string;
  keyRing: KeyRing;
  /** What each kind adds to a move beyond its lifecycle (src/domains/items/kind-rules.ts). */
  kindRules: KindRules;
  /** Wakes the outbox once a notice is queued (a status change tells the proposer). */
  wake: () => void;
  /** Chart.js's browser build. */
  chartScript: () => Promise<string>;
  /** The WeChat login QR code waiting to be scanned, if any (WeChat page). */
  wechatQr?: () => string | null;
  /** Wakes the news loop once an item is due now. */
  wakeNews?: () => void;
  /** Wakes the poll loop once a poll is due to open now. */
  wakePolls?: () => void;
  /** Runs a schedule now (the schedules page's run-now); absent, the button says it cannot. */
  runSchedule?: (id: string) => Promise<boolean>;
}

export type ConsoleEnv = { Variables: { user: ConsoleUser } };

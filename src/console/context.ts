/**
 * What every console page is given and sees: the server's `Ctx` with the console's own parts, and
 * the signed-in user. Pages import this, never the console's routes, so the shell and its pages
 * form no circle.
 */
import type { KindRules } from '../domains/items/kind-rules.ts';
import type { SignInLimit } from '../http/sign-in-limit.ts';
import type { Ctx } from '../kernel/ctx.ts';
import type { ConsoleUser } from './sessions.ts';

/**
 * The server's `Ctx` (pages seal with `keys`, and wake the outbox once a notice is queued, the
 * news loop once an item is due now, the poll loop once a poll is due to open now) and what only
 * the console needs beside it.
 */
export type ConsoleDeps = Ctx & {
  /** Counts refused sign-ins per source, and refuses a source past the limit. */
  signIns: SignInLimit;
  adminToken: string | undefined;
  /** What each kind adds to a move beyond its lifecycle (src/domains/items/kind-rules.ts). */
  kindRules: KindRules;
  /** Chart.js's browser build. */
  chartScript: () => Promise<string>;
  /** The WeChat login QR code waiting to be scanned, if any (WeChat page). */
  wechatQr?: () => string | null;
  /** Runs a schedule now (the schedules page's run-now); absent, the button says it cannot. */
  runSchedule?: (id: string) => Promise<boolean>;
  /** The channels whose enterprise directory can be read into the roster (Lark's contacts). */
  directories?: readonly string[];
  /** The largest photo or document taken, in bytes (10 MB unless given). */
  fileMaxBytes?: number;
};

export type ConsoleEnv = { Variables: { user: ConsoleUser } };

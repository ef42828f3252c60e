/**
 * Every environment variable the server reads, parsed once by zod. A bad value stops start-up
 * with one message that names each bad variable and what it expects.
 */
import { z } from 'zod';
import { parseCron } from './cron.ts';
import { parseDataKeys } from './crypto/sealed.ts';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** An IANA time zone name (Asia/Shanghai). */
export const timeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { error: 'expected an IANA time zone such as Asia/Shanghai' },
);

/** Five cron fields (minute hour day month weekday), as src/kernel/cron.ts reads them. */
const cronExpression = z.string().superRefine((value, ctx) => {
  try {
    parseCron(value);
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: `expected five cron fields such as "30 8 * * *" (${(error as Error).message})`,
    });
  }
});

const positiveInt = (what: string) =>
  z.coerce
    .number({ error: `expected ${what}` })
    .int({ error: `expected ${what}` })
    .positive({
      error: `expected ${what}`,
    });

/** A host name such as localhost or tongxin.internal; its last label is not a number, so 1.2.3.999 is no name. */
const hostName =
  /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** The address to listen on: an IPv4 or IPv6 address (no brackets, no port) or a host name. */
const listenHost = z
  .string()
  .trim()
  .refine(
    (host) => z.ipv4().safeParse(host).success || z.ipv6().safeParse(host).success || hostName.test(host),
    {
      error:
        'expected an address to listen on: 0.0.0.0 (every interface), 127.0.0.1 (this machine only), :: or a host name',
    },
  );

const fields = z.object({
  /** Where to listen: every interface by default, as a container needs; 127.0.0.1 keeps it to this machine. */
  HOST: listenHost.default('0.0.0.0'),
  PORT: z.coerce
    .number({ error: 'expected a port number 0-65535' })
    .int({ error: 'expected a port number 0-65535' })
    .min(0, { error: 'expected a port number 0-65535' })
    .max(65535, { error: 'expected a port number 0-65535' })
    .default(8787),
  DATA_DIR: z.string().min(1, { error: 'expected a directory path' }).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { error: 'expected a postgres:// or postgresql:// URL' })
    .optional(),
  TZ_DEFAULT: timeZone.default('Asia/Shanghai'),
  ADMIN_TOKEN: z.string().min(16, { error: 'expected at least 16 characters' }).optional(),
  /** Where people reach this server (links in messages); unset: the listen address, localhost for every interface. */
  PUBLIC_URL: z
    .string()
    .regex(/^https?:\/\/[^\s?#]+$/, { error: 'expected a URL such as https://tongxin.example.com' })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  /** When officers get their daily digest and admins their weekly summary (cron, in TZ_DEFAULT). */
  DIGEST_CRON: cronExpression.default('30 8 * * *'),
  WEEKLY_SUMMARY_CRON: cronExpression.default('0 9 * * 1'),
  WEB_COOKIE_SECRET: z.string().min(32, { error: 'expected at least 32 characters' }).optional(),
  /** Keys sealing sensitive text: "id:base64-of-32-bytes", several separated by commas, the first sealing. */
  DATA_KEY: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      if (value === undefined) return;
      try {
        parseDataKeys(value);
      } catch (error) {
        ctx.addIssue({
          code: 'custom',
          message: `expected id:base64 keys of 32 bytes (${(error as Error).message})`,
        });
      }
    }),
  LOG_LEVEL: z
    .enum(['debug', 'info', 'warn', 'error'], { error: 'expected debug, info, warn or error' })
    .default('info'),
  RUN_JOBS: bool.default(true),
  /**
   * Keep the limits (Lark's send limits, each person's messages and poll answers a minute, the
   * web chat's per-address limit, poll answers by code already taken) in the database, so several
   * instances together keep them. Unset: yes on PostgreSQL (more than one server may run), no on
   * the embedded database (only one process can open it).
   */
  SHARED_LIMITS: bool.optional(),
  /** Conversations processed at once; unset: 4 on PostgreSQL, 1 on the embedded database. */
  INBOX_WORKERS: positiveInt('a whole number of workers')
    .refine((n) => n <= 32, { error: 'expected at most 32' })
    .optional(),
  CONVERSATION_TIMEOUT_MINUTES: positiveInt('a whole number of minutes').default(30),
  /** Messages one person may send the bot in a minute; past that they are refused for a while. */
  INBOUND_PER_MINUTE: positiveInt('a whole number of messages').default(30),
  /** Poll answers one person may give in a minute (card buttons, the vote endpoint, codes typed). */
  VOTES_PER_MINUTE: positiveInt('a whole number of answers').default(10),
  /**
   * Web chat messages from one client address in a minute, whatever cookies they carry: a new
   * cookie is a new person, so the per-person limit alone would not stop a flood that changes them.
   */
  WEB_PER_ADDRESS_PER_MINUTE: positiveInt('a whole number of messages').default(300),
  /**
   * Reverse proxies in front of this server whose X-Forwarded-For is to be believed: unset or
   * false, none (the socket's peer is the client); true, one; or a number of them.
   */
  TRUST_PROXY: z
    .enum(['true', 'false', 'yes', 'no', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], {
      error: 'expected false, true, or how many proxies are in front (0-9)',
    })
    .transform((v) => (v === 'true' || v === 'yes' ? 1 : v === 'false' || v === 'no' ? 0 : Number(v)))
    .default(0),
  /** When the enterprise directory (Lark's contacts) is read into the roster each day, as cron. */
  DIRECTORY_SYNC_CRON: cronExpression.default('0 3 * * *'),
  /** Hours within which an officer must acknowledge a help request before the unit's admins are told. */
  HELP_ACK_HOURS: positiveInt('a whole number of hours').default(24),
  /** The same for a help request its author called 紧急 (very urgent): it escalates sooner. */
  HELP_ACK_HOURS_URGENT: positiveInt('a whole number of hours').default(4),
  /** Largest photo or document a person may attach, in MB (each file; Lark serves up to 100). */
  ATTACHMENT_MAX_MB: positiveInt('a whole number of megabytes, at most 100')
    .max(100, { error: 'expected a whole number of megabytes, at most 100' })
    .default(10),
  /** Delegates who must co-sign a motion, and the days they have to do it. */
  MOTION_COSIGNERS: positiveInt('a whole number of delegates').default(2),
  MOTION_COSIGN_DAYS: positiveInt('a whole number of days').default(7),
  /** Minutes within which a missed schedule fire (e.g. while stopped) is still run late, once. */
  SCHEDULE_CATCH_UP_MINUTES: positiveInt('a whole number of minutes').default(60),
  /** Days within which a registered motion must be answered. */
  MOTION_ANSWER_DAYS: positiveInt('a whole number of days').default(90),
  OUTBOX_MAX_ATTEMPTS: positiveInt('a whole number of attempts').default(20),
  OUTBOX_LEASE_SECONDS: positiveInt('a whole number of seconds').default(30),
  LARK_APP_ID: z
    .string()
    .regex(/^cli_[A-Za-z0-9]+$/, { error: 'expected an app id such as cli_a1b2c3d4e5f6' })
    .optional(),
  LARK_APP_SECRET: z
    .string()
    .min(8, { error: 'expected the app secret from the developer console' })
    .optional(),
  LARK_ENCRYPT_KEY: z.string().min(1).optional(),
  LARK_VERIFICATION_TOKEN: z
    .string()
    .min(8, { error: 'expected the verification token from the developer console' })
    .optional(),
  LARK_API_BASE: z
    .string()
    .regex(/^https?:\/\/[^/\s]+$/, { error: 'expected a scheme and host such as https://open.feishu.cn' })
    .default('https://open.feishu.cn'),
  LARK_MODE: z.enum(['webhook', 'ws'], { error: 'expected webhook or ws' }).default('webhook'),
  /** How old a signed request may be; the platform's retries keep their first timestamp for hours. */
  LARK_TIMESTAMP_WINDOW_SECONDS: positiveInt('a whole number of seconds').default(3600),
  LARK_RATE_APP_PER_SECOND: positiveInt('a whole number of requests').default(50),
  LARK_RATE_APP_PER_MINUTE: positiveInt('a whole number of requests').default(1000),
  LARK_RATE_CHAT_PER_SECOND: positiveInt('a whole number of requests').default(5),
  /** A wechaty puppet (e.g. wechaty-puppet-service for WeCom): set, the WeChat channel starts. */
  WECHATY_PUPPET: z.string().trim().min(1).max(200).optional(),
  /** The token of a service puppet (WeCom 企业微信 and others). */
  WECHATY_PUPPET_SERVICE_TOKEN: z.string().trim().min(1).max(500).optional(),
  /** Personal accounts are banned for bursts: one message a second per chat, 20 a minute overall. */
  WECHAT_RATE_CHAT_PER_SECOND: positiveInt('a whole number of messages').default(1),
  WECHAT_RATE_PER_MINUTE: positiveInt('a whole number of messages').default(20),
  /**
   * One instance at a time logs in to the WeChat account: it holds a lease in the database for
   * this many seconds, renewed every third of it; when it stops renewing (killed), another
   * instance logs in once the lease has lapsed.
   */
  WECHAT_LEASE_SECONDS: positiveInt('a whole number of seconds')
    .refine((n) => n >= 3 && n <= 600, { error: 'expected 3 to 600 seconds' })
    .default(30),
});

/** Lark needs its settings together: an app id alone would accept nothing and send nothing. */
const schema = fields.superRefine((config, ctx) => {
  if (!config.LARK_APP_ID) return;
  for (const name of ['LARK_APP_SECRET', 'LARK_VERIFICATION_TOKEN'] as const) {
    if (!config[name])
      ctx.addIssue({ code: 'custom', path: [name], message: 'required when LARK_APP_ID is set' });
  }
});

export type Config = z.infer<typeof schema>;

/** Thrown when the environment is wrong; its message lists every problem, one per line. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置有误 / Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment. Empty strings count as unset, as they do in most `.env` files. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => key in fields.shape && value !== undefined && value !== ''),
  );
  const parsed = schema.safeParse(present);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '');
    const given = present[name];
    // Secrets (tokens, keys) and URLs (which may carry a password) are named, never shown.
    const shown = /TOKEN|SECRET|KEY|URL/.test(name) ? '' : ` (got "${given}")`;
    return `${name}: ${issue.message}${given === undefined ? '' : shown}`;
  });
  throw new ConfigError(problems);
}

/** What a motion needs, as MOTION_COSIGNERS, MOTION_COSIGN_DAYS and MOTION_ANSWER_DAYS set it. */
/** Hours within which an officer must acknowledge a help request: routine, and 紧急. */
export interface HelpAckHours {
  normal: number;
  urgent: number;
}

export interface MotionRules {
  /** Co-signers needed (default 2). */
  cosigners: number;
  /** Days to gather them (default 7). */
  cosignDays: number;
  /** Days a registered motion has for its answer (default 90). */
  answerDays: number;
}

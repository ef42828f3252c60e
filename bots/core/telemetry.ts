/**
 * What a channel may say about its work: log lines and counters, given by the server. Fields are
 * plain values chosen by the channel; never a message's text or who sent it.
 */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface ChannelLog {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  /** Logs a failure as the server describes its errors (a name and a short cause, never the data it was given). */
  failed(event: string, error: unknown): void;
}

export interface ChannelMetrics {
  /** Adds one to a counter the server declares (for Lark: `tongxin_lark_deliveries_total` and the poll counters). */
  count(name: string, labels?: Record<string, string>): void;
}

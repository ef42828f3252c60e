/**
 * A per-person limit on incoming messages, against spam and runaway scripts: each sender may send
 * so many a minute; past that their messages are refused (the web chat says so, Lark is asked to
 * deliver again later), so one person cannot fill the inbox or use up the bot's sending quota.
 * This one is kept in this instance's memory, for a single instance (the embedded database allows
 * no other); where several instances share a database, person-limits.ts keeps the count there.
 */
import type { KeyLimit } from '../../bots/core/intake.ts';

/** Counts one message (or answer) from a key; false when it is already at the limit: the port's `KeyLimit`. */
export type PersonLimit = KeyLimit;

export class FloodGuard implements PersonLimit {
  private readonly seen = new Map<string, number[]>();
  private calls = 0;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Counts one message from this sender; false when they are already at the limit. */
  allow(sender: string): boolean {
    const now = this.now();
    const times = (this.seen.get(sender) ?? []).filter((t) => t > now - 60_000);
    const allowed = times.length < this.perMinute;
    if (allowed) times.push(now);
    this.seen.set(sender, times);
    if (++this.calls % 1000 === 0) this.forget(now);
    return allowed;
  }

  /** Drops senders quiet for a minute, so the map holds only the last minute's senders. */
  private forget(now: number) {
    for (const [sender, times] of this.seen)
      if ((times.at(-1) ?? 0) <= now - 60_000) this.seen.delete(sender);
  }
}

/**
 * The pace WeChat sends keep: personal accounts are banned for bursts, so at most `perChat` a
 * second to one chat and `perMinute` overall (defaults 1 and 20). A send that would have to wait
 * long is not held: it is put back for later (it never reached WeChat), so the outbox row's lease
 * never runs out while it waits.
 */
export interface PacingLimits {
  perChatPerSecond: number;
  perMinute: number;
}

export class Pacing {
  private readonly overall: number[] = [];
  private readonly chats = new Map<string, number[]>();

  constructor(
    private readonly limits: PacingLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until a send to this chat keeps both limits (0: now). */
  waitFor(chatId: string): number {
    const now = this.now();
    const recent = (times: number[], windowMs: number) => {
      while (times.length > 0 && times[0]! <= now - windowMs) times.shift();
      return times;
    };
    const overall = recent(this.overall, 60_000);
    const chat = recent(this.chats.get(chatId) ?? [], 1000);
    this.chats.set(chatId, chat);
    let wait = 0;
    if (overall.length >= this.limits.perMinute) wait = Math.max(wait, overall[0]! + 60_000 - now);
    if (chat.length >= this.limits.perChatPerSecond) wait = Math.max(wait, chat[0]! + 1000 - now);
    return wait;
  }

  /** Counts a send made now. */
  note(chatId: string): void {
    const now = this.now();
    this.overall.push(now);
    const chat = this.chats.get(chatId) ?? [];
    chat.push(now);
    this.chats.set(chatId, chat);
    if (this.chats.size > 10_000)
      for (const [key, times] of this.chats) if (times.length === 0) this.chats.delete(key);
  }
}

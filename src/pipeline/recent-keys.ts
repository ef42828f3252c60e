/**
 * Delivery keys seen lately, in memory: a platform that delivers a message again (Lark does, for
 * hours) must not have an answer by code cast twice — a second "K7Q3 1" after a change to 2 would
 * undo the change. Such answers never reach the inbox, whose unique key does this for the rest.
 */
export interface DeliveryMemory {
  has(key: string): boolean | Promise<boolean>;
  add(key: string): void | Promise<void>;
}

/** In this instance's memory (one instance); store/person-limits.ts keeps them in the database. */
export class RecentKeys implements DeliveryMemory {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly keepMs = 24 * 3_600_000,
    private readonly max = 50_000,
  ) {}

  /** Whether the key was added within the window. */
  has(key: string, now = Date.now()): boolean {
    const at = this.seen.get(key);
    return at !== undefined && now - at < this.keepMs;
  }

  add(key: string, now = Date.now()): void {
    if (this.seen.size >= this.max) {
      // Oldest first: a Map iterates in insertion order.
      for (const [old, when] of this.seen) {
        if (this.seen.size < this.max && now - when < this.keepMs) break;
        this.seen.delete(old);
      }
    }
    this.seen.delete(key);
    this.seen.set(key, now);
  }
}

/** Wakes a visitor's waiting long-poll when a message for them is written by this instance. */
export class WebChatHub {
  private readonly waiters = new Map<string, Set<() => void>>();

  /** Resolves when `notify(visitor)` is called or after `ms`, whichever is first. */
  wait(visitor: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const set = this.waiters.get(visitor) ?? new Set();
      this.waiters.set(visitor, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0) this.waiters.delete(visitor);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }

  notify(visitor: string): void {
    for (const wake of [...(this.waiters.get(visitor) ?? [])]) wake();
  }
}

/**
 * A fixed-window counter of failures per key (an email, an address). Kept in memory, so
 * each server process counts on its own: it slows down guessing; it is not an accounting
 * system. Pure apart from the clock, which callers pass in.
 */
export class FailureLimiter {
  private readonly windows = new Map<string, { start: number; failures: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 10_000,
  ) {}

  /** Milliseconds until `key` may try again, or 0 when it may now. */
  retryAfter(key: string, now: number): number {
    const window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) return 0;
    return window.failures >= this.limit ? window.start + this.windowMs - now : 0;
  }

  fail(key: string, now: number) {
    const window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      if (this.windows.size >= this.maxKeys) this.windows.delete(this.windows.keys().next().value!);
      this.windows.set(key, { start: now, failures: 1 });
    } else {
      window.failures++;
    }
  }

  succeed(key: string) {
    this.windows.delete(key);
  }
}

/**
 * A fixed-window request counter per key (an API token), in memory like FailureLimiter:
 * `take` counts a request and says how long to wait when the window's budget is spent.
 */
export class RequestLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 10_000,
  ) {}

  /** Milliseconds until `key` may make another request, or 0 after counting this one. */
  take(key: string, now: number): number {
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      if (!window && this.windows.size >= this.maxKeys) this.windows.delete(this.windows.keys().next().value!);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    if (window.count >= this.limit) return window.start + this.windowMs - now;
    window.count++;
    return 0;
  }
}

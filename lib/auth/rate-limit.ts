/**
 * A fixed-window counter per key, behind RequestLimiter (API tokens). Kept in memory, so
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
 * A fixed-window request budget per key (an API token): the same counter as FailureLimiter,
 * counting every request instead of failures. `take` counts a request and says how long to
 * wait when the window's budget is spent.
 */
export class RequestLimiter {
  private readonly counter: FailureLimiter;

  constructor(limit: number, windowMs: number, maxKeys = 10_000) {
    this.counter = new FailureLimiter(limit, windowMs, maxKeys);
  }

  /** Milliseconds until `key` may make another request, or 0 after counting this one. */
  take(key: string, now: number): number {
    const wait = this.counter.retryAfter(key, now);
    if (wait === 0) this.counter.fail(key, now);
    return wait;
  }
}

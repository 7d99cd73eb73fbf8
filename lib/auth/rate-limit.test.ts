import { describe, expect, it } from "vitest";
import { FailureLimiter } from "./rate-limit";

describe("FailureLimiter", () => {
  it("blocks a key after the limit within the window, and frees it when the window ends", () => {
    const limiter = new FailureLimiter(3, 1000);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter("a", 100)).toBe(0);
      limiter.fail("a", 100 + i);
    }
    expect(limiter.retryAfter("a", 500)).toBe(600);
    expect(limiter.retryAfter("b", 500)).toBe(0);
    expect(limiter.retryAfter("a", 1100)).toBe(0);
  });

  it("forgets a key on success and bounds how many keys it keeps", () => {
    const limiter = new FailureLimiter(1, 1000, 2);
    limiter.fail("a", 0);
    expect(limiter.retryAfter("a", 1)).toBeGreaterThan(0);
    limiter.succeed("a");
    expect(limiter.retryAfter("a", 1)).toBe(0);
    limiter.fail("x", 0);
    limiter.fail("y", 0);
    limiter.fail("z", 0);
    expect(limiter.retryAfter("x", 1)).toBe(0); // evicted, oldest first
    expect(limiter.retryAfter("z", 1)).toBeGreaterThan(0);
  });
});

import { describe, expect, it } from "vitest";
import { limitedGit, limitedGitConcurrency, limitedGitCount, limitedGitPeak, withGitSlot } from "./limit";

describe("limitedGit", () => {
  it("never runs more gits at once than the queue is wide, and counts each one", async () => {
    const before = limitedGitCount();
    const outputs = await Promise.all(Array.from({ length: 16 }, () => limitedGit(["--version"])));
    expect(outputs.every((o) => o.startsWith("git version"))).toBe(true);
    expect(limitedGitCount() - before).toBe(16);
    expect(limitedGitPeak()).toBeGreaterThanOrEqual(1);
    expect(limitedGitPeak()).toBeLessThanOrEqual(limitedGitConcurrency());
  });
});

describe("withGitSlot", () => {
  it("holds one place of the same queue for the whole of its work", async () => {
    let inside = 0;
    let most = 0;
    const work = async () => {
      inside += 1;
      most = Math.max(most, inside);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inside -= 1;
      return "done";
    };
    const results = await Promise.all(Array.from({ length: 3 * limitedGitConcurrency() }, () => withGitSlot(work)));
    expect(results.every((r) => r === "done")).toBe(true);
    expect(most).toBe(limitedGitConcurrency());
  });
});

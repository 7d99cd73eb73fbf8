import { describe, expect, it } from "vitest";
import { limitedGit, limitedGitConcurrency, limitedGitCount, limitedGitPeak } from "./limit";

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

import { describe, expect, it } from "vitest";
import { inSlices } from "./slices";

const turn = () => new Promise((resolve) => setImmediate(resolve));

function* counting(n: number, seen: number[]) {
  for (let i = 0; i < n; i++) {
    seen.push(i);
    yield;
  }
  return seen.length;
}

describe("inSlices", () => {
  it("runs nothing until the event loop turns, some steps per turn, and the rest on finish, each step once", async () => {
    const seen: number[] = [];
    const sliced = inSlices(counting(100_000, seen), 0.05);
    expect(seen).toEqual([]);
    await turn();
    await turn();
    const early = seen.length;
    expect(early).toBeGreaterThan(0);
    expect(early).toBeLessThan(100_000);
    expect(sliced.finish()).toBe(100_000);
    expect(seen).toEqual(Array.from({ length: 100_000 }, (_, i) => i));
  });

  it("schedules no more slices once cancelled, and still completes on finish", async () => {
    const seen: number[] = [];
    const sliced = inSlices(counting(1_000, seen), 0.05);
    sliced.cancel();
    await turn();
    await turn();
    expect(seen).toEqual([]);
    expect(sliced.finish()).toBe(1_000);
  });

  it("keeps a step's error for finish, and runs no step after it", async () => {
    const seen: number[] = [];
    const sliced = inSlices(
      (function* () {
        seen.push(1);
        yield;
        throw new Error("broken spec");
      })(),
    );
    await turn();
    await turn();
    expect(() => sliced.finish()).toThrow("broken spec");
    expect(() => sliced.finish()).toThrow("broken spec");
    expect(seen).toEqual([1]);
  });
});

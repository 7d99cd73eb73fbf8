import type dns from "node:dns";
import { describe, expect, it } from "vitest";
import { boundedLookup } from "./guard";

type Answer = (error: Error | null, addresses: dns.LookupAddress[]) => void;

describe("boundedLookup", () => {
  it("fails a lookup whose resolver never answers, so a slow DNS cannot hold a delivery worker", async () => {
    const never = (_host: string, _options: dns.LookupAllOptions, _callback: Answer) => {};
    const outcome = await new Promise<{ error: Error | null; calls: number }>((resolve) => {
      let calls = 0;
      boundedLookup(never, "slow.example.com", { all: true }, 20, (error) => {
        calls++;
        resolve({ error, calls });
      });
    });
    expect(outcome.calls).toBe(1);
    expect(outcome.error).toMatchObject({ code: "ETIMEOUT", message: "slow.example.com did not resolve within 0.02 s" });
  });

  it("passes a prompt answer through once, and drops an answer that comes after the deadline", async () => {
    const prompt = (_host: string, _options: dns.LookupAllOptions, callback: Answer) => callback(null, [{ address: "93.184.216.34", family: 4 }]);
    const answered = await new Promise<dns.LookupAddress[] | undefined>((resolve) => boundedLookup(prompt, "h", { all: true }, 1000, (_e, a) => resolve(a)));
    expect(answered).toEqual([{ address: "93.184.216.34", family: 4 }]);

    let late!: Answer;
    const slow = (_host: string, _options: dns.LookupAllOptions, callback: Answer) => (late = callback);
    const seen: (Error | null)[] = [];
    await new Promise<void>((resolve) =>
      boundedLookup(slow, "h", { all: true }, 10, (error) => {
        seen.push(error);
        resolve();
      }),
    );
    late(null, [{ address: "10.0.0.1", family: 4 }]);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ code: "ETIMEOUT" });
  });
});

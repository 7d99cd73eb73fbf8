import { describe, expect, it } from "vitest";
import { seededRandom as random } from "@/lib/testing/random";
import { BANDS, ROWS, candidatePairs, candidateProbability, clusters, jaccard, nearDuplicatePairs, normaliseMarkdown, shingleSet, signature } from "./minhash";

function document(rand: () => number, words: number): string[] {
  return Array.from({ length: words }, () => `w${Math.floor(rand() * 50_000)}`);
}

/** A copy of `words` with `edits` words replaced at random places. */
function edited(rand: () => number, words: string[], edits: number): string[] {
  const copy = [...words];
  for (let e = 0; e < edits; e++) copy[Math.floor(rand() * copy.length)] = `x${Math.floor(rand() * 50_000)}`;
  return copy;
}

describe("normalising and shingling", () => {
  it("ignores front matter, markup, case and spacing", () => {
    const a = "---\ntitle: A\nstatus: draft\n---\n# Refunds\n\n- **Refund** within  30 days.\n";
    const b = "# refunds\n* refund within 30 days\n";
    expect(normaliseMarkdown(a)).toBe("refunds refund within 30 days");
    expect(jaccard(shingleSet(a), shingleSet(b))).toBe(1);
  });
});

describe("the LSH parameters", () => {
  it("find a pair at Jaccard 0.8 at least 95% of the time (and say so by the formula)", () => {
    expect(candidateProbability(0.8)).toBeGreaterThan(0.99);
    // What many libraries default to (e.g. 10 bands of 10 rows) finds fewer than half.
    expect(candidateProbability(0.8, 10, 10)).toBeLessThan(0.7);
    expect(BANDS * ROWS).toBe(120);
  });

  it("measured on a labelled set: recall >= 0.95 at Jaccard 0.8 and above, nothing below the threshold reported", () => {
    const rand = random(42);
    const docs: Set<number>[] = [];
    const truth: { i: number; j: number; similarity: number }[] = [];
    for (let p = 0; p < 600; p++) {
      const base = document(rand, 300 + Math.floor(rand() * 900));
      const copy = edited(rand, base, Math.floor(rand() * base.length * 0.12));
      const i = docs.push(shingleSet(base.join(" "))) - 1;
      const j = docs.push(shingleSet(copy.join(" "))) - 1;
      truth.push({ i, j, similarity: jaccard(docs[i], docs[j]) });
    }
    const reported = nearDuplicatePairs(docs, 0.8);
    const found = new Set(reported.map((r) => `${r.i} ${r.j}`));
    const positives = truth.filter((t) => t.similarity >= 0.8);
    expect(positives.length).toBeGreaterThan(200);
    const recall = positives.filter((t) => found.has(`${t.i} ${t.j}`)).length / positives.length;
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(reported.every((r) => r.similarity >= 0.8)).toBe(true);
    // And the unrelated documents are not reported with each other.
    expect(reported.every((r) => truth.some((t) => t.i === r.i && t.j === r.j))).toBe(true);
  });

  it("computes each signature value as the unsigned minimum of a·x + b mod 2^32", () => {
    const set = new Set([0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 12345, 987654321]);
    const sig = signature(set);
    // The reference, in exact integer arithmetic, for the first and the last hash functions.
    const reference = (a: bigint, b: bigint) => [...set].map((x) => (a * BigInt(x) + b) % 2n ** 32n).reduce((m, h) => (h < m ? h : m));
    const probe = signature(new Set([0]));
    const b0 = BigInt(probe[0]);
    const a0 = (BigInt(signature(new Set([1]))[0]) - b0 + 2n ** 32n) % 2n ** 32n;
    expect(BigInt(sig[0])).toBe(reference(a0, b0));
    const last = probe.length - 1;
    const bl = BigInt(probe[last]);
    const al = (BigInt(signature(new Set([1]))[last]) - bl + 2n ** 32n) % 2n ** 32n;
    expect(BigInt(sig[last])).toBe(reference(al, bl));
  });

  it("clusters linked pairs transitively", () => {
    expect(clusters(6, [[0, 1], [1, 2], [4, 5]])).toEqual([[0, 1, 2], [4, 5]]);
  });

  it("makes identical documents share every band, unrelated ones none", () => {
    const rand = random(7);
    const a = shingleSet(document(rand, 400).join(" "));
    const b = shingleSet(document(rand, 400).join(" "));
    expect(candidatePairs([signature(a), signature(new Set(a)), signature(b)])).toEqual([[0, 1]]);
  });
});

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

  it("splits words as the regular-expression definition does, for any Unicode text", () => {
    // The definition the single-pass tokenizer must match: lower case, then ASCII letters and
    // digits and any non-ASCII (U+00C0 and above) letter or digit.
    const definition = (text: string) =>
      text
        .replace(/^\uFEFF?---\r?\n[\s\S]*?\r?\n---\r?\n/, "")
        .toLowerCase()
        .replace(/[^a-z0-9\u00c0-\uffff]+/g, " ")
        .replace(/[\u00c0-\uffff]+/g, (run) => run.replace(/[^\p{L}\p{N}]+/gu, " "))
        .replace(/ {2,}/g, " ")
        .trim();
    const pieces = [
      "a",
      "Z",
      "9",
      " ",
      "\n",
      "-",
      "**",
      "É",
      "ΣΑΣ ",
      "ß",
      "İ",
      "\u212a",
      "ﬁ",
      "²",
      "µ",
      "\u3000",
      "\ufeff",
      "😀",
      "𝐀",
      "\ud800",
      "\udc00",
      "٣",
      "\u0307",
      "---\n",
    ];
    const rand = random(5);
    for (let n = 0; n < 5000; n++) {
      let text = rand() < 0.1 ? "---\ntitle: x\n---\n" : "";
      for (let k = Math.floor(rand() * 16); k > 0; k--) {
        text += rand() < 0.7 ? pieces[Math.floor(rand() * pieces.length)] : String.fromCodePoint(Math.floor(rand() * 0x110000));
      }
      expect(normaliseMarkdown(text)).toBe(definition(text));
    }
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

  it("estimates Jaccard: the share of equal signature values tracks the exact similarity, for long and for short documents", () => {
    const rand = random(3);
    // Short documents leave most of the 120 bins empty, so they test the densification.
    for (const [shortest, longest] of [
      [300, 1200],
      [8, 40],
    ]) {
      for (const editRate of [0.03, 0.1, 0.2, 0.35]) {
        let bias = 0;
        let error = 0;
        const pairs = 200;
        for (let p = 0; p < pairs; p++) {
          const base = document(rand, shortest + Math.floor(rand() * (longest - shortest)));
          const a = shingleSet(base.join(" "));
          const b = shingleSet(edited(rand, base, Math.round(base.length * editRate)).join(" "));
          const [sa, sb] = [signature(a), signature(b)];
          const estimate = sa.filter((v, i) => v === sb[i]).length / sa.length;
          bias += estimate - jaccard(a, b);
          error += Math.abs(estimate - jaccard(a, b));
        }
        // Unbiased (leaving empty bins unfilled would count them as agreeing: a large bias),
        // and within the spread of 120 samples (about 0.035 at Jaccard 0.5).
        expect(Math.abs(bias / pairs)).toBeLessThan(0.01);
        expect(error / pairs).toBeLessThan(0.05);
      }
    }
    // Structured input (runs of consecutive integers) too: the hash must scatter it over the bins.
    let error = 0;
    for (let p = 0; p < 200; p++) {
      const start = Math.floor(rand() * 2 ** 31);
      const shift = Math.floor(rand() * 400);
      const a = new Set(Array.from({ length: 600 }, (_, k) => start + k));
      const b = new Set(Array.from({ length: 600 }, (_, k) => start + shift + k));
      const [sa, sb] = [signature(a), signature(b)];
      error += Math.abs(sa.filter((v, i) => v === sb[i]).length / sa.length - jaccard(a, b));
    }
    expect(error / 200).toBeLessThan(0.05);
  });

  it("fills every value of a one-shingle set with that shingle's hash, and leaves the empty set's values at the maximum", () => {
    expect(new Set(signature(new Set([12345]))).size).toBe(1);
    expect([...signature(new Set())].every((v) => v === 0xffffffff)).toBe(true);
  });

  it("clusters linked pairs transitively", () => {
    expect(
      clusters(6, [
        [0, 1],
        [1, 2],
        [4, 5],
      ]),
    ).toEqual([
      [0, 1, 2],
      [4, 5],
    ]);
  });

  it("makes identical documents share every band, unrelated ones none", () => {
    const rand = random(7);
    const a = shingleSet(document(rand, 400).join(" "));
    const b = shingleSet(document(rand, 400).join(" "));
    expect(candidatePairs([signature(a), signature(new Set(a)), signature(b)])).toEqual([[0, 1]]);
  });
});

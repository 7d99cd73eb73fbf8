import { candidatePairs, shingleSet, signature } from "@/lib/findings/minhash";
import { seededRandom as random } from "@/lib/testing/random";

// Near-duplicate figures (issue 5): MinHash signature throughput over generated documents of
// 2-10 KB, and LSH against an exact all-pairs Jaccard computation on a sample, in the same run.

const VOCABULARY = Array.from({ length: 8000 }, (_, i) => `w${i.toString(36)}`);

/** Documents of 2-10 KB; one in ten is an edited copy of an earlier one (0-15% of words replaced). */
function* documents(count: number, seed: number): Generator<string> {
  const rand = random(seed);
  const kept: string[][] = [];
  for (let n = 0; n < count; n++) {
    let words: string[];
    if (kept.length > 0 && rand() < 0.1) {
      words = [...kept[Math.floor(rand() * kept.length)]];
      const edits = Math.floor(rand() * words.length * 0.15);
      for (let e = 0; e < edits; e++) words[Math.floor(rand() * words.length)] = VOCABULARY[Math.floor(rand() * VOCABULARY.length)];
    } else {
      const length = 350 + Math.floor(rand() * 1400); // about 2-10 KB of text
      words = Array.from({ length }, () => VOCABULARY[Math.floor(rand() * VOCABULARY.length)]);
    }
    if (kept.length < 2000) kept.push(words);
    else if (rand() < 0.01) kept[Math.floor(rand() * kept.length)] = words;
    yield words.join(" ");
  }
}

const sorted = (set: Set<number>) => Uint32Array.from(set).sort();

/** Jaccard of two sorted arrays of distinct values, by merging. */
function sortedJaccard(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      shared++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return shared / (a.length + b.length - shared);
}

export async function runDuplicatesBenchmark(opts: { log: (line: string) => void; documents?: number; sample?: number; threshold?: number }) {
  const { log } = opts;
  const count = opts.documents ?? 100_000;
  const sampleSize = opts.sample ?? 5_000;
  const threshold = opts.threshold ?? 0.8;
  log("");
  log("Near duplicates (issue 5)");

  // Signatures for every document; the sample keeps its shingle sets for the exact baseline.
  const signatures: Uint32Array[] = [];
  const sampleSets: Uint32Array[] = [];
  let bytes = 0;
  let signing = 0;
  for (const text of documents(count, 42)) {
    bytes += text.length;
    const t = performance.now();
    const shingles = shingleSet(text);
    signatures.push(signature(shingles));
    signing += performance.now() - t;
    if (sampleSets.length < sampleSize) sampleSets.push(sorted(shingles));
  }
  log(`  ${count.toLocaleString("en")} documents, ${(bytes / count / 1024).toFixed(1)} KB on average`);
  log(
    `  signatures (normalise, shingle, 120 MinHash values): ${Math.round(count / (signing / 1000)).toLocaleString("en")} documents/s on one core (target >= 4,000)`,
  );

  let t = performance.now();
  const candidates = candidatePairs(signatures);
  const lshAll = performance.now() - t;
  log(`  LSH over all ${count.toLocaleString("en")}: ${candidates.length.toLocaleString("en")} candidate pairs in ${(lshAll / 1000).toFixed(2)} s`);

  // The sample: exact all pairs against LSH plus an exact check of its candidates.
  t = performance.now();
  const exact: string[] = [];
  for (let i = 0; i < sampleSets.length; i++) {
    for (let j = i + 1; j < sampleSets.length; j++) if (sortedJaccard(sampleSets[i], sampleSets[j]) >= threshold) exact.push(`${i} ${j}`);
  }
  const exactMs = performance.now() - t;
  t = performance.now();
  const sampleCandidates = candidatePairs(signatures.slice(0, sampleSize));
  const found = new Set(sampleCandidates.filter(([i, j]) => sortedJaccard(sampleSets[i], sampleSets[j]) >= threshold).map(([i, j]) => `${i} ${j}`));
  const lshMs = performance.now() - t;
  const recall = exact.length === 0 ? 1 : exact.filter((p) => found.has(p)).length / exact.length;
  const pairs = (sampleSize * (sampleSize - 1)) / 2;
  log(
    `  sample of ${sampleSize.toLocaleString("en")}: exact all-pairs Jaccard (${pairs.toLocaleString("en")} pairs) ${(exactMs / 1000).toFixed(2)} s; LSH + exact check of ${sampleCandidates.length.toLocaleString("en")} candidates ${(lshMs / 1000).toFixed(2)} s`,
  );
  log(`  speed-up ${(exactMs / lshMs).toFixed(0)}x, recall ${recall.toFixed(3)} of the ${exact.length} pairs at Jaccard >= ${threshold} (target >= 0.95)`);
}

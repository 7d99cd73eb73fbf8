// Near-duplicate detection as pure functions: MinHash signatures over word shingles of
// normalised Markdown, and locality-sensitive hashing (LSH) to find candidate pairs
// (docs/decisions/009-duplicates.md has the choice of bands and rows).

/** Words per shingle. */
export const SHINGLE_WORDS = 3;
/** LSH: BANDS bands of ROWS rows; the signature has BANDS * ROWS values. */
export const BANDS = 20;
export const ROWS = 6;
export const SIGNATURE_LENGTH = BANDS * ROWS;
/** Reported pairs have an exact Jaccard similarity of at least this: a spec copied and then
 * edited for another service typically keeps 0.7 to 0.8 of its shingles. */
export const DEFAULT_THRESHOLD = 0.7;

/** The probability that LSH proposes a pair with Jaccard similarity `s` as a candidate. */
export function candidateProbability(s: number, bands = BANDS, rows = ROWS): number {
  return 1 - (1 - s ** rows) ** bands;
}

/**
 * Text reduced to what a reader compares: no YAML front matter, no Markdown markup or
 * punctuation, lower case, single spaces.
 */
export function normaliseMarkdown(text: string): string {
  return text
    .replace(/^\uFEFF?---\r?\n[\s\S]*?\r?\n---\r?\n/, "")
    .toLowerCase()
    // ASCII letters and digits, and any non-ASCII character that is a letter or a digit.
    .replace(/[^a-z0-9\u00c0-\uffff]+/g, " ")
    .replace(/[\u00c0-\uffff]+/g, (run) => run.replace(/[^\p{L}\p{N}]+/gu, " "))
    .replace(/ {2,}/g, " ")
    .trim();
}

/** FNV-1a, 32 bits. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The distinct hashed shingles (runs of SHINGLE_WORDS words) of a document. Each word is
 * hashed once and a shingle's hash mixes its words' hashes, so no shingle string is built.
 */
export function shingleSet(text: string): Set<number> {
  const words = normaliseMarkdown(text).split(" ").filter(Boolean);
  const set = new Set<number>();
  if (words.length === 0) return set;
  const hashes = new Uint32Array(words.length);
  for (let i = 0; i < words.length; i++) hashes[i] = fnv1a(words[i]);
  const width = Math.min(SHINGLE_WORDS, words.length);
  for (let i = 0; i + width <= words.length; i++) {
    let h = 0x811c9dc5;
    for (let k = 0; k < width; k++) h = Math.imul(h ^ hashes[i + k], 0x01000193);
    set.add(h >>> 0);
  }
  return set;
}

/** Exact Jaccard similarity of two shingle sets. */
export function jaccard(a: Set<number>, b: Set<number>): number {
  if (a.size === 0 && b.size === 0) return 1;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const x of small) if (large.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}

// Hash functions h_i(x) = a_i * x + b_i (mod 2^32) with odd a_i: each is a bijection of
// 32-bit integers, so the minimum over a set is a fair MinHash sample. Fixed seeds keep
// stored signatures comparable across runs and versions.
const COEFFICIENTS = (() => {
  let state = 0x9e3779b9;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
  const a = new Uint32Array(SIGNATURE_LENGTH);
  const b = new Uint32Array(SIGNATURE_LENGTH);
  for (let i = 0; i < SIGNATURE_LENGTH; i++) {
    a[i] = next() | 1;
    b[i] = next();
  }
  return { a, b };
})();

/** The MinHash signature of a shingle set: SIGNATURE_LENGTH 32-bit minima. */
export function signature(shingles: Set<number>): Uint32Array {
  const sig = new Uint32Array(SIGNATURE_LENGTH).fill(0xffffffff);
  const { a, b } = COEFFICIENTS;
  const xs = Int32Array.from(shingles);
  // One hash function at a time over a typed array, in 32-bit integers: flipping the top bit
  // makes signed comparison order the values as unsigned ones.
  for (let i = 0; i < SIGNATURE_LENGTH; i++) {
    const ai = a[i] | 0;
    const bi = b[i] | 0;
    let min = 0x7fffffff;
    for (let k = 0; k < xs.length; k++) {
      const h = ((Math.imul(ai, xs[k]) + bi) | 0) ^ 0x80000000;
      if (h < min) min = h;
    }
    sig[i] = (min ^ 0x80000000) >>> 0;
  }
  return sig;
}

/** Band keys of a signature: documents sharing any key become candidates. */
export function bandKeys(sig: Uint32Array): string[] {
  const keys: string[] = [];
  for (let band = 0; band < BANDS; band++) {
    let h = 0x811c9dc5 ^ band;
    for (let r = 0; r < ROWS; r++) {
      h ^= sig[band * ROWS + r];
      h = Math.imul(h, 0x01000193);
    }
    keys.push(`${band}:${(h >>> 0).toString(36)}`);
  }
  return keys;
}

/** Candidate pairs (indices into `signatures`, i < j) that share at least one band. */
export function candidatePairs(signatures: readonly Uint32Array[]): [number, number][] {
  const buckets = new Map<string, number[]>();
  signatures.forEach((sig, i) => {
    for (const key of bandKeys(sig)) {
      const bucket = buckets.get(key);
      if (bucket) bucket.push(i);
      else buckets.set(key, [i]);
    }
  });
  const seen = new Set<number>();
  const pairs: [number, number][] = [];
  const n = signatures.length;
  for (const bucket of buckets.values()) {
    if (bucket.length < 2) continue;
    for (let x = 0; x < bucket.length; x++) {
      for (let y = x + 1; y < bucket.length; y++) {
        const [i, j] = bucket[x] < bucket[y] ? [bucket[x], bucket[y]] : [bucket[y], bucket[x]];
        const id = i * n + j;
        if (seen.has(id)) continue;
        seen.add(id);
        pairs.push([i, j]);
      }
    }
  }
  return pairs;
}

/** Groups items into clusters from the pairs that link them (union-find). */
export function clusters(count: number, pairs: readonly [number, number][]): number[][] {
  const parent = Array.from({ length: count }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  for (const [a, b] of pairs) parent[find(a)] = find(b);
  const groups = new Map<number, number[]>();
  for (const [a, b] of pairs) {
    for (const i of [a, b]) {
      const root = find(i);
      const group = groups.get(root) ?? [];
      if (!group.includes(i)) group.push(i);
      groups.set(root, group);
    }
  }
  return [...groups.values()].map((g) => g.sort((x, y) => x - y));
}

export function encodeSignature(sig: Uint32Array): Buffer {
  return Buffer.from(sig.buffer, sig.byteOffset, sig.byteLength);
}

export function decodeSignature(bytes: Uint8Array): Uint32Array {
  const copy = new Uint8Array(bytes);
  return new Uint32Array(copy.buffer, 0, copy.byteLength / 4);
}

/** Verified near-duplicate pairs among documents: LSH candidates kept only at exact Jaccard >= threshold. */
export function nearDuplicatePairs(sets: readonly Set<number>[], threshold = DEFAULT_THRESHOLD): { i: number; j: number; similarity: number }[] {
  const pairs = candidatePairs(sets.map(signature));
  return pairs.map(([i, j]) => ({ i, j, similarity: jaccard(sets[i], sets[j]) })).filter((p) => p.similarity >= threshold);
}

// Near-duplicate detection as pure functions: MinHash signatures (one-permutation hashing) over
// word shingles of normalised Markdown, and locality-sensitive hashing (LSH) to find candidate pairs
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

const FRONT_MATTER = /^\uFEFF?---\r?\n[\s\S]*?\r?\n---\r?\n/;
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
// Whether each BMP character beyond U+00BF is a letter or digit: 0 not known yet, 1 yes, 2 no.
// Looked up once per character, so the tokenizer runs no regular expression per word.
const BMP_WORD = new Uint8Array(0x10000);

function isWordCharacter(code: number): boolean {
  if (code > 0xffff) return LETTER_OR_DIGIT.test(String.fromCodePoint(code));
  if (BMP_WORD[code] === 0) BMP_WORD[code] = LETTER_OR_DIGIT.test(String.fromCharCode(code)) ? 1 : 2;
  return BMP_WORD[code] === 1;
}

/**
 * The words of a document, in one pass over its lower-cased text: runs of ASCII letters and
 * digits and of non-ASCII (U+00C0 and above) letters and digits. Returns each word's FNV-1a
 * hash (32 bits, over its UTF-16 code units) and, when `bounds` is given, pushes its start and end.
 */
function scanWords(text: string, bounds: number[] | null): { lower: string; hashes: Uint32Array } {
  // Lower-casing the whole text first keeps context-dependent rules (a final sigma) as they were.
  const lower = text.replace(FRONT_MATTER, "").toLowerCase();
  const length = lower.length;
  const hashes = new Uint32Array((length + 1) >> 1);
  let count = 0;
  let start = -1;
  let h = 0;
  for (let i = 0; i < length; i++) {
    const c = lower.charCodeAt(i);
    let pair = false;
    let word: boolean;
    if (c < 0xc0) word = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < length && (lower.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      pair = true;
      word = isWordCharacter(lower.codePointAt(i)!);
    } else word = isWordCharacter(c);
    if (word) {
      if (start < 0) {
        start = i;
        h = 0x811c9dc5;
      }
      h = Math.imul(h ^ c, 0x01000193);
      if (pair) h = Math.imul(h ^ lower.charCodeAt(++i), 0x01000193);
    } else {
      if (start >= 0) {
        hashes[count++] = h >>> 0;
        bounds?.push(start, i);
        start = -1;
      }
      if (pair) i++;
    }
  }
  if (start >= 0) {
    hashes[count++] = h >>> 0;
    bounds?.push(start, length);
  }
  return { lower, hashes: hashes.subarray(0, count) };
}

/**
 * Text reduced to what a reader compares: no YAML front matter, no Markdown markup or
 * punctuation, lower case, single spaces.
 */
export function normaliseMarkdown(text: string): string {
  const bounds: number[] = [];
  const { lower } = scanWords(text, bounds);
  const words: string[] = [];
  for (let k = 0; k < bounds.length; k += 2) words.push(lower.slice(bounds[k], bounds[k + 1]));
  return words.join(" ");
}

/**
 * The distinct hashed shingles (runs of SHINGLE_WORDS words) of a document. Each word is
 * hashed once and a shingle's hash mixes its words' hashes, so no shingle string is built.
 */
export function shingleSet(text: string): Set<number> {
  const hashes = scanWords(text, null).hashes;
  const set = new Set<number>();
  if (hashes.length === 0) return set;
  const width = Math.min(SHINGLE_WORDS, hashes.length);
  for (let i = 0; i + width <= hashes.length; i++) {
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

/** murmur3's 32-bit finaliser: a bijection whose every output bit depends on every input bit. */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

// Fixed seeds keep stored signatures comparable across runs and versions.
const SHINGLE_SEED = 0x9e3779b9;
const PROBE_SEED = 0x2545f491;

/** The bin (0 to SIGNATURE_LENGTH - 1) of a 32-bit hash, by its high bits: each bin is one range of hashes. */
function binOf(h: number): number {
  return ((h >>> 8) * SIGNATURE_LENGTH) >>> 24;
}

/**
 * The MinHash signature of a shingle set: SIGNATURE_LENGTH 32-bit values, by one-permutation
 * hashing with optimal densification (Shrivastava 2017). Two sets' values at a position are
 * equal with probability equal to their Jaccard similarity.
 */
export function signature(shingles: Set<number>): Uint32Array {
  const sig = new Uint32Array(SIGNATURE_LENGTH).fill(0xffffffff);
  // One hash per shingle, landing in one bin that keeps its minimum: O(shingles), not O(shingles x 120).
  const filled = new Uint8Array(SIGNATURE_LENGTH);
  let empty = SIGNATURE_LENGTH;
  for (const x of shingles) {
    const h = mix32(x ^ SHINGLE_SEED);
    const bin = binOf(h);
    if (filled[bin] === 0) {
      filled[bin] = 1;
      empty--;
      sig[bin] = h;
    } else if (h < sig[bin]) sig[bin] = h;
  }
  if (empty === 0 || empty === SIGNATURE_LENGTH) return sig;
  // Small sets leave bins empty; each copies the first filled bin of a probe sequence that depends
  // on the bin alone, never on the set, so two sets still agree with probability = Jaccard.
  // Bins hold disjoint ranges of hashes, so values copied from different bins never match.
  for (let bin = 0; bin < SIGNATURE_LENGTH; bin++) {
    if (filled[bin] === 1) continue;
    for (let attempt = 1; ; attempt++) {
      const from = binOf(mix32(Math.imul(bin + 1, 0x01000193) ^ Math.imul(attempt, 0x85ebca77) ^ PROBE_SEED));
      if (filled[from] === 1) {
        sig[bin] = sig[from];
        break;
      }
    }
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

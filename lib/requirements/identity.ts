// A requirement's identity across versions of its spec, as pure functions: by the author's id when
// there is one, else by its text against the previous version's unmatched requirements
// (docs/decisions/034-requirements.md).
import type { ExtractedRequirement } from "./extract";

/** Word-set Jaccard similarity at or above which an unkeyed requirement continues a predecessor. */
export const SIMILARITY_THRESHOLD = 0.5;
/** Pairs compared per version at most: past it, what is left unmatched is added and removed. */
const MAX_PAIRS = 250_000;

export interface TrackedRequirement {
  id: string;
  key: string | null;
  explicit: boolean;
  text: string;
  hash: string;
  line: number;
}

export type MatchHow = "key" | "text" | "similar" | "new";

export interface RequirementMatch {
  /** Index into the new version's requirements. */
  index: number;
  /** The predecessor's id; null for a new requirement. */
  priorId: string | null;
  /** 1 for an id or identical text, the similarity for a similar text, 1 for a new one. */
  confidence: number;
  how: MatchHow;
}

export interface RequirementEvent {
  requirementId: string;
  event: "added" | "changed" | "removed";
  key: string | null;
  /** Whether the author wrote the key: the new text's for added and changed, the last one's for removed. */
  explicit: boolean;
  text: string;
  hash: string;
  line: number;
  confidence: number;
}

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

/** Jaccard similarity of two texts' word sets (1 for two empty texts). */
export function textSimilarity(a: string, b: string): number {
  return wordJaccard(words(a), words(b));
}

function wordJaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const w of small) if (large.has(w)) shared++;
  return shared / (a.size + b.size - shared);
}

/**
 * Matches a new version's requirements to the previous version's. In order: the same explicit id
 * (the first definition of an id keeps it; a reused id is matched by text), the same text, then
 * the most similar remaining pair above the threshold, greedily. A different explicit id is never
 * the same requirement. Pure.
 */
export function matchRequirements(
  prior: readonly TrackedRequirement[],
  next: readonly ExtractedRequirement[],
  threshold = SIMILARITY_THRESHOLD,
): RequirementMatch[] {
  const matches: RequirementMatch[] = next.map((_, index) => ({ index, priorId: null, confidence: 1, how: "new" }));
  const usedPrior = new Set<number>();
  const byKey = new Map<string, number>();
  prior.forEach((p, i) => {
    if (p.explicit && p.key && !byKey.has(p.key)) byKey.set(p.key, i);
  });
  const keysTaken = new Set<string>();
  next.forEach((r, index) => {
    if (!r.explicit || !r.key || keysTaken.has(r.key)) return;
    keysTaken.add(r.key);
    const i = byKey.get(r.key);
    if (i === undefined) return;
    usedPrior.add(i);
    matches[index] = { index, priorId: prior[i].id, confidence: 1, how: "key" };
  });

  const open = (index: number) => matches[index].how === "new";
  const compatible = (p: TrackedRequirement, r: ExtractedRequirement) => !(p.explicit && r.explicit && p.key !== r.key);
  const byHash = new Map<string, number[]>();
  prior.forEach((p, i) => {
    if (usedPrior.has(i)) return;
    const list = byHash.get(p.hash);
    if (list) list.push(i);
    else byHash.set(p.hash, [i]);
  });
  next.forEach((r, index) => {
    if (!open(index)) return;
    const candidates = byHash.get(r.hash);
    const i = candidates?.find((c) => !usedPrior.has(c) && compatible(prior[c], r));
    if (i === undefined) return;
    usedPrior.add(i);
    matches[index] = { index, priorId: prior[i].id, confidence: 1, how: "text" };
  });

  const leftPrior = prior.map((_, i) => i).filter((i) => !usedPrior.has(i));
  const leftNext = next.map((_, i) => i).filter(open);
  if (leftPrior.length === 0 || leftNext.length === 0 || leftPrior.length * leftNext.length > MAX_PAIRS) return matches;
  const priorWords = new Map(leftPrior.map((i) => [i, words(prior[i].text)]));
  const pairs: Array<{ i: number; index: number; score: number; rank: number }> = [];
  for (const index of leftNext) {
    const w = words(next[index].text);
    for (const i of leftPrior) {
      if (!compatible(prior[i], next[index])) continue;
      const score = wordJaccard(priorWords.get(i)!, w);
      // A criterion that kept its derived key wins a tie; the score reported stays the similarity.
      if (score >= threshold) pairs.push({ i, index, score, rank: score + (prior[i].key !== null && prior[i].key === next[index].key ? 0.05 : 0) });
    }
  }
  pairs.sort((a, b) => b.rank - a.rank || a.index - b.index || a.i - b.i);
  for (const pair of pairs) {
    if (usedPrior.has(pair.i) || !open(pair.index)) continue;
    usedPrior.add(pair.i);
    matches[pair.index] = { index: pair.index, priorId: prior[pair.i].id, confidence: Math.round(pair.score * 100) / 100, how: "similar" };
  }
  return matches;
}

/**
 * One version's step of a spec's requirement history: the requirements now (with their ids) and
 * the events against the previous state (added, changed text, removed). An unchanged requirement
 * that moved or was renumbered only updates its state. Pure; `newId` names new requirements.
 */
export function evolveRequirements(
  prior: readonly TrackedRequirement[],
  next: readonly ExtractedRequirement[],
  newId: () => string,
): { state: Array<TrackedRequirement & { confidence: number }>; events: RequirementEvent[] } {
  // Most versions change something else: the same requirements in the same order need no matching.
  if (prior.length === next.length && next.every((r, i) => r.hash === prior[i].hash && r.key === prior[i].key)) {
    return {
      state: next.map((r, i) => {
        const p = prior[i] as TrackedRequirement & { confidence?: number };
        return { id: p.id, key: p.key, explicit: r.explicit, text: p.text, hash: p.hash, line: r.line, confidence: p.confidence ?? 1 };
      }),
      events: [],
    };
  }
  const matches = matchRequirements(prior, next);
  const priorById = new Map(prior.map((p) => [p.id, p]));
  const kept = new Set<string>();
  const events: RequirementEvent[] = [];
  const state = next.map((r, index) => {
    const m = matches[index];
    const id = m.priorId ?? newId();
    const row = { id, key: r.key, explicit: r.explicit, text: r.text, hash: r.hash, line: r.line, confidence: m.confidence };
    if (m.priorId) kept.add(m.priorId);
    const before = m.priorId ? priorById.get(m.priorId) : undefined;
    if (!before) events.push({ requirementId: id, event: "added", key: r.key, explicit: r.explicit, text: r.text, hash: r.hash, line: r.line, confidence: 1 });
    else if (before.hash !== r.hash)
      events.push({
        requirementId: id,
        event: "changed",
        key: r.key,
        explicit: r.explicit,
        text: r.text,
        hash: r.hash,
        line: r.line,
        confidence: m.confidence,
      });
    return row;
  });
  for (const p of prior) {
    if (!kept.has(p.id))
      events.push({ requirementId: p.id, event: "removed", key: p.key, explicit: p.explicit, text: p.text, hash: p.hash, line: p.line, confidence: 1 });
  }
  return { state, events };
}

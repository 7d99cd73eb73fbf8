// Runs are named by their id, or by the reporter's externalId (unique per reporter, decision
// 018). An externalId resolves within the caller's own namespace first; another reporter's run
// is taken only when exactly one reporter used that id.

export type RunCandidate = { id: string; externalId: string; reportedById: string };

export type RunPick = { id: string } | { ambiguous: number } | null;

/** Which run `ref` names for `viewerId`, among the runs whose id or externalId is `ref`. */
export function pickRun(ref: string, candidates: RunCandidate[], viewerId: string): RunPick {
  const byId = candidates.find((c) => c.id === ref);
  if (byId) return { id: byId.id };
  const named = candidates.filter((c) => c.externalId === ref);
  const own = named.find((c) => c.reportedById === viewerId);
  if (own) return { id: own.id };
  if (named.length === 1) return { id: named[0].id };
  return named.length > 1 ? { ambiguous: named.length } : null;
}

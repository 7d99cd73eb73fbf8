// Reading requirements, their history and their test links (docs/decisions/034-requirements.md).
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { featureQualifiers, linkStatus, type LinkStatus } from "./test-scan";

export interface RequirementSummary {
  count: number;
  withTest: number;
  suspect: number;
  /** Shares of count, 0 when there is none (rounded to three decimals). */
  shareWithTest: number;
  shareSuspect: number;
}

export function summarise(statuses: readonly LinkStatus[]): RequirementSummary {
  const count = statuses.length;
  const withTest = statuses.filter((s) => s !== "unverified").length;
  const suspect = statuses.filter((s) => s === "suspect").length;
  const share = (n: number) => (count === 0 ? 0 : Math.round((n / count) * 1000) / 1000);
  return { count, withTest, suspect, shareWithTest: share(withTest), shareSuspect: share(suspect) };
}

/** A `[@test path]` link as stored; a missing one counts for nothing but is shown. */
interface ExplicitLinkRow {
  path: string;
  missing: boolean;
  testCommit: string | null;
  testChangedAt: Date | null;
}

/** When each test a requirement links to last changed: grep-found mentions and the explicit links that exist. */
function testTimes(mentions: readonly LinkRow[], explicit: readonly ExplicitLinkRow[]): Date[] {
  return [...mentions.map((t) => t.testChangedAt), ...explicit.flatMap((l) => (l.testChangedAt && !l.missing ? [l.testChangedAt] : []))];
}

interface LinkRow {
  key: string;
  path: string;
  line: number;
  how: string;
  testCommit: string;
  testChangedAt: Date;
}

/** Test mentions of the given keys in a spec's repository, by key: bare ids, and ids qualified with the spec's feature. */
async function mentionsByKey(spec: { repositoryId: string; path: string }, keys: string[]): Promise<Map<string, LinkRow[]>> {
  const byKey = new Map<string, LinkRow[]>();
  if (keys.length === 0) return byKey;
  const rows = await db.testMention.findMany({
    where: { repositoryId: spec.repositoryId, key: { in: keys }, feature: { in: featureQualifiers(spec.path) } },
    select: { key: true, path: true, line: true, how: true, testCommit: true, testChangedAt: true },
    orderBy: [{ path: "asc" }, { line: "asc" }],
  });
  for (const r of rows) {
    const list = byKey.get(r.key);
    if (list) list.push(r);
    else byKey.set(r.key, [r]);
  }
  return byKey;
}

/** A spec's live requirements with their test status, and the spec's figures. Not found when the spec is not. */
export async function specRequirements(viewer: Actor, specId: string) {
  assertCan(viewer, "specs:read");
  const spec = await db.spec.findUnique({ where: { id: specId }, select: { id: true, path: true, repositoryId: true } });
  if (!spec) throw new AppError("not_found", "Spec not found");
  const requirements = await db.requirement.findMany({
    where: { specId, removed: false },
    orderBy: [{ line: "asc" }, { id: "asc" }],
    select: {
      id: true,
      key: true,
      explicit: true,
      text: true,
      line: true,
      confidence: true,
      addedSeq: true,
      changedSeq: true,
      changedAt: true,
      testLinks: { select: { path: true, missing: true, testCommit: true, testChangedAt: true } },
    },
  });
  const links = await mentionsByKey(spec, [...new Set(requirements.flatMap((r) => (r.key ? [r.key] : [])))]);
  const rows = requirements.map(({ testLinks, ...r }) => {
    const times = testTimes((r.key && links.get(r.key)) || [], testLinks);
    return { ...r, tests: times.length, missingTests: testLinks.filter((l) => l.missing).length, status: linkStatus(r.changedAt, times) };
  });
  return { spec: { id: spec.id, path: spec.path }, summary: summarise(rows.map((r) => r.status)), requirements: rows };
}

/** One requirement: its state, its history (oldest first) and its test links. Not found when it or its spec is not. */
export async function getRequirement(viewer: Actor, id: string) {
  assertCan(viewer, "specs:read");
  const requirement = await db.requirement.findUnique({
    where: { id },
    include: {
      spec: { select: { id: true, path: true, repositoryId: true, repository: { select: { id: true, name: true } } } },
      testLinks: { orderBy: { path: "asc" }, select: { path: true, missing: true, testCommit: true, testChangedAt: true } },
      occurrences: {
        orderBy: { seq: "asc" },
        select: { seq: true, commitSha: true, committedAt: true, event: true, key: true, text: true, line: true, confidence: true },
      },
    },
  });
  if (!requirement) throw new AppError("not_found", "Requirement not found");
  const links = requirement.key ? ((await mentionsByKey(requirement.spec, [requirement.key])).get(requirement.key) ?? []) : [];
  const { spec, occurrences, testLinks, ...state } = requirement;
  return {
    id: state.id,
    key: state.key,
    explicit: state.explicit,
    text: state.text,
    line: state.line,
    confidence: state.confidence,
    removed: state.removed,
    addedSeq: state.addedSeq,
    changedSeq: state.changedSeq,
    changedAt: state.changedAt,
    removedSeq: state.removedSeq,
    status: linkStatus(state.changedAt, testTimes(links, testLinks)),
    spec: { id: spec.id, path: spec.path, repository: spec.repository },
    history: occurrences,
    // Explicit links first: the author named them; a missing one is reported, never dropped.
    links: [
      ...testLinks.map((l) => ({
        path: l.path,
        line: null,
        how: "explicit",
        testCommit: l.testCommit,
        testChangedAt: l.testChangedAt,
        suspect: l.testChangedAt !== null && l.testChangedAt < state.changedAt,
        missing: l.missing,
      })),
      ...links.map((l) => ({
        path: l.path,
        line: l.line,
        how: l.how,
        testCommit: l.testCommit,
        testChangedAt: l.testChangedAt,
        suspect: l.testChangedAt < state.changedAt,
        missing: false,
      })),
    ],
  };
}

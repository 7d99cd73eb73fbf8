// What a pull request does to governed files it does not change (decision 022, "Files a pull
// request leaves unchanged"): the specs whose code it changes without them (the stale finding the
// merge would open), and the references it breaks by deleting or moving what they name.
import type { Prisma } from "@/lib/db";
import { compileAttribution } from "@/lib/findings/pathspec";
import { declaredGovernance, governedPaths } from "@/lib/findings/references";
import { plural } from "@/lib/text";
import type { SpecKind } from "@/lib/specs/kinds";
import type { CheckItemDraft } from "./policy";
import type { CheckInput } from "./schema";

type Tx = Prisma.TransactionClient;

/** A governed file the pull request leaves unchanged, with what the pull request does to it. */
export interface UnchangedDrafts {
  path: string;
  kind: SpecKind;
  contentHash: string;
  drafts: CheckItemDraft[];
}

/** How many of a spec's changed paths its drift item names; the count counts them all. */
const NAMED_PATHS = 3;
/** Changed paths longer than this are not matched against specs' globs (a glob's regular expression can backtrack on a long path). */
const MAX_MATCHED_PATH = 300;
/** Most spec entries drift adds to one check; a pull request that drifts from more says so in the last. */
const MAX_DRIFT_SPECS = 25;
/** Attribution stops after this long, so no pull request (or crafted request) holds the server. */
const DRIFT_BUDGET_MS = 2000;
/** How much of a spec's text is read for its `governs:` front matter. */
const FRONT_MATTER_CHARS = 16_384;

interface SpecRow {
  id: string;
  path: string;
  featureId: string | null;
  featureKey: string | null;
  currentHash: string;
  text: string;
  isSymlink: boolean;
}

/**
 * Specs of the repository that the pull request leaves unchanged while it changes paths they
 * govern, judged on the texts the pull request leaves (a spec or a feature's tasks it edits
 * count with their new text; one whose text was not sent keeps its stored text). A spec with an
 * open or acknowledged stale finding gets a note instead of a warning: its drift is on the base
 * already, and this pull request only adds to it. A dismissed finding exempts nothing.
 */
async function driftDrafts(
  tx: Tx,
  repositoryId: string,
  input: Pick<CheckInput, "files" | "changedPaths">,
  governed: (path: string) => SpecKind | null,
): Promise<UnchangedDrafts[]> {
  const changed = [...new Set([...input.changedPaths, ...input.files.map((f) => f.path)])].filter((p) => p.length <= MAX_MATCHED_PATH);
  if (changed.length === 0) return [];
  // The specs first, by the start of their text (front matter); tasks and plans only for the
  // features whose spec has no governs: of its own.
  const specs = await tx.$queryRaw<SpecRow[]>`
    SELECT s.id, s.path, s."featureId", f.key AS "featureKey", s."currentHash", left(c.text, ${FRONT_MATTER_CHARS}) AS text,
           COALESCE((SELECT v."isSymlink" FROM "SpecVersion" v WHERE v."specId" = s.id ORDER BY v.seq DESC LIMIT 1), false) AS "isSymlink"
    FROM "Spec" s
    JOIN "Content" c ON c.hash = s."currentHash"
    LEFT JOIN "Feature" f ON f.id = s."featureId"
    WHERE s."repositoryId" = ${repositoryId} AND NOT s.deleted AND s.kind = 'spec'`;
  const sent = new Map(input.files.map((f) => [f.path, f]));
  const own = specs.filter((spec) => !spec.isSymlink && !sent.has(spec.path) && governed(spec.path) === "spec");
  const byFront = new Map(own.map((spec) => [spec.id, governedPaths({ specPath: spec.path, text: spec.text, featureKey: null, siblings: [] })]));
  const features = [...new Set(own.filter((s) => !byFront.get(s.id) && s.featureId).map((s) => s.featureId!))];
  const siblingRows = features.length
    ? await tx.$queryRaw<{ path: string; kind: string; featureId: string; text: string }[]>`
        SELECT s.path, s.kind, s."featureId", c.text FROM "Spec" s JOIN "Content" c ON c.hash = s."currentHash"
        WHERE s."featureId" = ANY(${features}::text[]) AND NOT s.deleted AND s.kind IN ('tasks', 'plan')`
    : [];
  const byFeature = new Map<string, { path: string; kind: string; text: string }[]>();
  for (const row of siblingRows) {
    // The texts after the merge: a file the pull request edits is read as it leaves it.
    const file = sent.get(row.path);
    if (file?.status === "deleted") continue;
    byFeature.set(row.featureId, [...(byFeature.get(row.featureId) ?? []), { path: row.path, kind: row.kind, text: file?.content ?? row.text }]);
  }
  const candidates = own.flatMap((spec) => {
    const paths =
      byFront.get(spec.id) ??
      governedPaths({
        specPath: spec.path,
        text: spec.text,
        featureKey: spec.featureKey,
        siblings: spec.featureId ? (byFeature.get(spec.featureId) ?? []) : [],
      });
    // Drift only for specs that say what they govern (decision 048).
    const pathspecs = paths ? (declaredGovernance(paths)?.pathspecs ?? null) : null;
    return paths && pathspecs ? [{ spec, source: paths.source, pathspecs }] : [];
  });
  if (candidates.length === 0) return [];
  const attribute = compileAttribution(candidates.map((c) => c.pathspecs));
  // Per spec: how many changed paths it governs, and the first few by name (no list per spec: a
  // pull request can change tens of thousands of paths under one glob).
  const hits = new Map<number, { count: number; named: string[] }>();
  const deadline = performance.now() + DRIFT_BUDGET_MS;
  let cut = false;
  for (const [n, path] of [...changed].sort().entries()) {
    if (n % 256 === 0 && performance.now() > deadline) {
      cut = true;
      break;
    }
    for (const i of attribute(path)) {
      const hit = hits.get(i) ?? { count: 0, named: [] };
      hit.count++;
      if (hit.named.length < NAMED_PATHS) hit.named.push(path);
      hits.set(i, hit);
    }
  }
  if (cut) console.warn(`[checks] spec drift: attribution stopped after ${DRIFT_BUDGET_MS} ms over ${changed.length} changed paths`);
  if (hits.size === 0) return [];
  const stale = await tx.finding.findMany({
    where: { type: "stale", status: { in: ["open", "acknowledged"] }, specId: { in: [...hits.keys()].map((i) => candidates[i].spec.id) } },
    select: { specId: true },
  });
  const alreadyStale = new Set(stale.map((f) => f.specId));
  const entries = [...hits].sort(([a], [b]) => (candidates[a].spec.path < candidates[b].spec.path ? -1 : 1));
  return entries.slice(0, MAX_DRIFT_SPECS).map(([i, { count, named }], n) => {
    const { spec, source } = candidates[i];
    const list = named.join(", ") + (count > named.length ? `, and ${count - named.length} more` : "");
    const by = source === "front matter" ? "its governs: globs" : "the files its feature's tasks and plan name";
    const more = n === MAX_DRIFT_SPECS - 1 && entries.length > MAX_DRIFT_SPECS ? ` (${entries.length - MAX_DRIFT_SPECS} more specs drift too; not listed)` : "";
    const already = alreadyStale.has(spec.id);
    // Drift through the files tasks and plan name is a note that never blocks: such a stale finding
    // was right 10 of 15 times on public repositories (decision 048); `governs:` globs warn.
    const note = already || source !== "front matter";
    return {
      path: spec.path,
      kind: "spec" as const,
      contentHash: spec.currentHash,
      drafts: [
        {
          category: "drift" as const,
          rule: "spec-drift",
          severity: note ? ("info" as const) : ("warning" as const),
          policyKey: "drift" as const,
          ...(note ? { advisory: true } : {}),
          line: null,
          message: already
            ? `This spec is already reported stale; this pull request changes ${plural(count, "more path")} it governs (by ${by}): ${list}.${more}`
            : `This pull request changes ${plural(count, "path")} this spec governs (by ${by}): ${list}, but not the spec. Update the spec if they change what it describes; merged as it is, the spec will be reported stale.${more}`,
          link: `/specs/${spec.id}`,
        },
      ],
    };
  });
}

/** The references in unchanged governed files that the pull request breaks (the CLI found them; the server's kind rules decide which files count). */
function removalDrafts(input: Pick<CheckInput, "unchangedFiles">, governed: (path: string) => SpecKind | null): UnchangedDrafts[] {
  return input.unchangedFiles.flatMap((file) => {
    const kind = governed(file.path);
    if (!kind) return [];
    return [
      {
        path: file.path,
        kind,
        contentHash: file.contentHash,
        drafts: file.brokenReferences.map((ref) => ({
          category: "reference" as const,
          rule: "broken-reference",
          severity: "warning" as const,
          policyKey: "brokenReferences" as const,
          line: ref.line,
          message: `Names ${ref.written}, which this pull request deletes or moves. Update the reference, or keep the path.`,
        })),
      },
    ];
  });
}

/**
 * Every unchanged governed file the pull request affects, one entry per path (drift and broken
 * references together), in path order. `types` are the workspace's finding types that are on.
 */
export async function unchangedDrafts(
  tx: Tx,
  repositoryId: string,
  input: Pick<CheckInput, "files" | "changedPaths" | "unchangedFiles">,
  opts: { governed: (path: string) => SpecKind | null; drift: boolean; references: boolean },
): Promise<UnchangedDrafts[]> {
  const entries = [
    ...(opts.drift ? await driftDrafts(tx, repositoryId, input, opts.governed) : []),
    ...(opts.references ? removalDrafts(input, opts.governed) : []),
  ];
  const byPath = new Map<string, UnchangedDrafts>();
  for (const e of entries) {
    const known = byPath.get(e.path);
    if (known) known.drafts.push(...e.drafts);
    else byPath.set(e.path, { ...e, drafts: [...e.drafts] });
  }
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

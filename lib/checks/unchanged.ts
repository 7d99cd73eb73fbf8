// What a pull request does to governed files it does not change (decision 022, "Files a pull
// request leaves unchanged"): the specs whose code it changes without them (the stale finding the
// merge would open), and the references it breaks by deleting or moving what they name.
import type { Prisma } from "@/lib/db";
import { compileAttribution } from "@/lib/findings/pathspec";
import { governedPaths } from "@/lib/findings/references";
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

/**
 * Drift only for specs that say what they govern: `governs:` globs, or the paths their feature's
 * tasks and plan name. The fallback (the source tree beside the specs folder) governs nearly every
 * path of a Spec Kit repository, so every pull request would annotate every such spec.
 */
const EXPLICIT_SOURCES = new Set(["front matter", "tasks and design"]);

interface SpecRow {
  id: string;
  path: string;
  kind: string;
  featureId: string | null;
  featureKey: string | null;
  currentHash: string;
  text: string;
  isSymlink: boolean;
}

/**
 * Specs of the repository that the pull request leaves unchanged while it changes paths they
 * govern, judged on the texts the pull request leaves (a spec or a feature's tasks it edits
 * count with their new text). A spec that already has a stale finding on the base (open,
 * acknowledged or dismissed) is left out: that drift is not this pull request's.
 */
async function driftDrafts(
  tx: Tx,
  repositoryId: string,
  input: Pick<CheckInput, "files" | "changedPaths">,
  governed: (path: string) => SpecKind | null,
): Promise<UnchangedDrafts[]> {
  const changed = [...input.changedPaths, ...input.files.map((f) => f.path)];
  if (input.changedPaths.length === 0) return [];
  const rows = await tx.$queryRaw<SpecRow[]>`
    SELECT s.id, s.path, s.kind, s."featureId", f.key AS "featureKey", s."currentHash", c.text,
           COALESCE((SELECT v."isSymlink" FROM "SpecVersion" v WHERE v."specId" = s.id ORDER BY v.seq DESC LIMIT 1), false) AS "isSymlink"
    FROM "Spec" s
    JOIN "Content" c ON c.hash = s."currentHash"
    LEFT JOIN "Feature" f ON f.id = s."featureId"
    WHERE s."repositoryId" = ${repositoryId} AND NOT s.deleted AND s.kind IN ('spec', 'tasks', 'plan')`;
  const sent = new Map(input.files.map((f) => [f.path, f]));
  // The texts after the merge: a file the pull request edits is read as it leaves it.
  const textAfter = (row: SpecRow) => {
    const file = sent.get(row.path);
    if (!file) return row.text;
    return file.status === "deleted" ? null : (file.content ?? null);
  };
  const byFeature = new Map<string, SpecRow[]>();
  for (const row of rows) if (row.featureId) byFeature.set(row.featureId, [...(byFeature.get(row.featureId) ?? []), row]);
  const candidates = rows.flatMap((spec) => {
    if (spec.kind !== "spec" || spec.isSymlink || sent.has(spec.path) || governed(spec.path) !== "spec") return [];
    const siblings = (spec.featureId ? (byFeature.get(spec.featureId) ?? []) : [])
      .filter((s) => s.id !== spec.id)
      .flatMap((s) => {
        const text = textAfter(s);
        return text === null ? [] : [{ path: s.path, kind: s.kind, text }];
      });
    const paths = governedPaths({ specPath: spec.path, text: spec.text, featureKey: spec.featureKey, siblings });
    return paths && EXPLICIT_SOURCES.has(paths.source) ? [{ spec, paths }] : [];
  });
  if (candidates.length === 0) return [];
  const attribute = compileAttribution(candidates.map((c) => c.paths.pathspecs));
  const hits = new Map<number, string[]>();
  for (const path of new Set(changed)) {
    for (const i of attribute(path)) if (candidates[i].spec.path !== path) hits.set(i, [...(hits.get(i) ?? []), path]);
  }
  if (hits.size === 0) return [];
  const stale = await tx.finding.findMany({
    where: { type: "stale", status: { in: ["open", "acknowledged", "dismissed"] }, specId: { in: [...hits.keys()].map((i) => candidates[i].spec.id) } },
    select: { specId: true },
  });
  const alreadyStale = new Set(stale.map((f) => f.specId));
  return [...hits]
    .filter(([i]) => !alreadyStale.has(candidates[i].spec.id))
    .map(([i, paths]) => {
      const { spec, paths: governs } = candidates[i];
      const sorted = paths.sort();
      const named = sorted.slice(0, NAMED_PATHS).join(", ") + (sorted.length > NAMED_PATHS ? `, and ${sorted.length - NAMED_PATHS} more` : "");
      const by = governs.source === "front matter" ? "its governs: globs" : "its feature's tasks and plan";
      return {
        path: spec.path,
        kind: "spec" as const,
        contentHash: spec.currentHash,
        drafts: [
          {
            category: "drift" as const,
            rule: "spec-drift",
            severity: "warning" as const,
            policyKey: "drift" as const,
            line: null,
            message: `This pull request changes ${plural(paths.length, "path")} this spec governs (by ${by}): ${named}, but not the spec. Update the spec if they change what it describes; merged as it is, the spec will be reported stale.`,
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

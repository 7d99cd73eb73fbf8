// "Requirement without oracle" (decision 045): a live requirement that no test names and no
// `[@test path]` link backs. Opt-in, for teams that adopt "no oracle, no merge"; off by default.
import { db } from "@/lib/db";
import { NEWEST_TEST_SQL } from "../requirement-links";
import { base, type FindingDraft, type RepoContext } from "./context";

/** Findings per repository at most: a spec of 2,000 untested requirements is one problem, told 500 times at most. */
export const MAX_ORACLE_FINDINGS = 500;

interface Untested {
  id: string;
  specId: string;
  key: string | null;
  text: string;
  line: number;
  changedAt: Date;
  missing: string[];
}

export async function checkOracles(ctx: RepoContext): Promise<FindingDraft[]> {
  const files = new Map(ctx.files.filter((f) => f.kind === "spec").map((f) => [f.id, f]));
  if (files.size === 0) return [];
  const rows = await db.$queryRaw<Untested[]>`
    SELECT r.id, r."specId", r.key, r.text, r.line, r."changedAt",
           COALESCE((SELECT array_agg(l.path ORDER BY l.path) FROM "RequirementTestLink" l WHERE l."requirementId" = r.id AND l.missing), '{}') AS missing
    FROM "Requirement" r JOIN "Spec" s ON s.id = r."specId"
    WHERE s."repositoryId" = ${ctx.repositoryId} AND s.id = ANY(${[...files.keys()]}::text[]) AND NOT r.removed AND ${NEWEST_TEST_SQL} IS NULL
    ORDER BY s.path, r.line, r.id
    LIMIT ${MAX_ORACLE_FINDINGS}`;
  return rows.map((r) => {
    const file = files.get(r.specId)!;
    const name = r.key ?? `the requirement on line ${r.line}`;
    const missing = r.missing.length > 0 ? ` Its [@test] link names ${r.missing.join(", ")}, which does not exist.` : "";
    return {
      ...base(ctx, file),
      fingerprint: `requirement-oracle:${r.id}`,
      type: "requirement-oracle" as const,
      rule: "requirement-without-oracle",
      severity: "error" as const,
      line: r.line,
      message: `${file.path}: ${name} has no test oracle: no test names it and no [@test path] link backs it.${missing}`,
      suggestion: r.key
        ? `Add a test that names ${r.key} (\`@req ${r.key}\`), or write [@test path/to/test] next to it.`
        : "Give the requirement an id that a test can name, or write [@test path/to/test] next to it.",
      evidence: { path: file.path, requirementId: r.id, key: r.key, text: r.text.slice(0, 500), missingTests: r.missing },
      introducedAt: r.changedAt,
    };
  });
}

import type pg from "pg";
import { git } from "@/lib/git/git";
import { compileOwnership, parseCodeowners, sameRules } from "./codeowners";

type Policy = { requiredApprovals: number; requireOwnerApproval: boolean; blockOnChangesRequested: boolean; breakingOwnerApprovals: number };

/** Where GitHub looks for a CODEOWNERS file, in its order: the first one found counts. */
export const CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"] as const;

export async function readCodeowners(gitDir: string, commit: string): Promise<{ path: string; text: string } | null> {
  for (const path of CODEOWNERS_PATHS) {
    try {
      return { path, text: await git([`--git-dir=${gitDir}`, "show", `${commit}:${path}`]) };
    } catch {
      // not at this path
    }
  }
  return null;
}

/**
 * Replaces a repository's imported ownership rules with its CODEOWNERS file's (manual rules
 * stay), then recomputes every live spec's owners: workspace-wide rules first, the
 * repository's after them, last match wins. Runs inside the caller's transaction.
 */
export async function refreshOwnership(client: pg.PoolClient, opts: { repositoryId: string; codeowners: { path: string; text: string } | null }) {
  // Most pushes leave CODEOWNERS as it was: the stored rules then stay (no rewrite of the rules,
  // their positions, or every spec's rule id), and only specs whose owners differ are written.
  const stored = await client.query<{ pattern: string; owners: string[] | null; source: string }>(
    `SELECT pattern, owners, source FROM "OwnershipRule" WHERE "repositoryId" = $1 AND source LIKE 'codeowners:%' ORDER BY position`,
    [opts.repositoryId],
  );
  const wanted = opts.codeowners ? parseCodeowners(opts.codeowners.text).rules : [];
  const source = opts.codeowners ? `codeowners:${opts.codeowners.path}` : null;
  if (
    stored.rows.every((r) => r.source === source) &&
    sameRules(
      stored.rows.map((r) => ({ pattern: r.pattern, owners: r.owners ?? [] })),
      wanted,
    )
  ) {
    await recomputeOwners(client, opts.repositoryId);
    return;
  }
  // Review policies set on imported rules survive a re-import: they are matched by pattern.
  const previous = await client.query<{ pattern: string } & Policy>(
    `DELETE FROM "OwnershipRule" WHERE "repositoryId" = $1 AND source LIKE 'codeowners:%'
     RETURNING pattern, "requiredApprovals", "requireOwnerApproval", "blockOnChangesRequested", "breakingOwnerApprovals"`,
    [opts.repositoryId],
  );
  const policies = new Map(previous.rows.map((r) => [r.pattern, r]));
  if (opts.codeowners) {
    const { rules } = parseCodeowners(opts.codeowners.text);
    const policy = (pattern: string) =>
      policies.get(pattern) ?? { requiredApprovals: 1, requireOwnerApproval: false, blockOnChangesRequested: true, breakingOwnerApprovals: 1 };
    // Imported rules come first, so rules added in the app override them.
    await client.query(`UPDATE "OwnershipRule" SET position = position + $2 WHERE "repositoryId" = $1`, [opts.repositoryId, rules.length]);
    if (rules.length > 0) {
      await client.query(
        `INSERT INTO "OwnershipRule" (id, "repositoryId", position, pattern, owners, source, "requiredApprovals", "requireOwnerApproval", "blockOnChangesRequested", "breakingOwnerApprovals")
         SELECT gen_random_uuid()::text, $1, t.position, t.pattern, string_to_array(t.owners, ' '), $5, t.required, t.owner, t.block, t.breaking
         FROM unnest($2::int[], $3::text[], $4::text[], $6::int[], $7::boolean[], $8::boolean[], $9::int[]) AS t(position, pattern, owners, required, owner, block, breaking)`,
        [
          opts.repositoryId,
          rules.map((_, i) => i + 1),
          rules.map((r) => r.pattern),
          rules.map((r) => r.owners.join(" ")),
          `codeowners:${opts.codeowners.path}`,
          rules.map((r) => policy(r.pattern).requiredApprovals),
          rules.map((r) => policy(r.pattern).requireOwnerApproval),
          rules.map((r) => policy(r.pattern).blockOnChangesRequested),
          rules.map((r) => policy(r.pattern).breakingOwnerApprovals),
        ],
      );
    }
  }
  await recomputeOwners(client, opts.repositoryId);
}

/**
 * Recomputes every live spec's owners in a repository from the rules: workspace-wide rules
 * first, the repository's after them, last match wins. Runs inside the caller's transaction.
 */
export async function recomputeOwners(client: pg.PoolClient, repositoryId: string) {
  const opts = { repositoryId };
  const rules = await client.query<{ id: string; pattern: string; owners: string[] | null }>(
    `SELECT id, pattern, owners FROM "OwnershipRule" WHERE "repositoryId" IS NULL OR "repositoryId" = $1
     ORDER BY ("repositoryId" IS NOT NULL), position`,
    [opts.repositoryId],
  );
  const lookup = compileOwnership(rules.rows.map((r) => ({ ...r, owners: r.owners ?? [] })));
  const specs = await client.query<{ id: string; path: string }>(`SELECT id, path FROM "Spec" WHERE "repositoryId" = $1 AND NOT deleted`, [opts.repositoryId]);
  if (specs.rows.length === 0) return;
  const decided = specs.rows.map((s) => lookup(s.path));
  await client.query(
    `UPDATE "Spec" s SET owners = CASE WHEN t.owners = '' THEN ARRAY[]::text[] ELSE string_to_array(t.owners, ' ') END, "ownerRuleId" = t.rule
     FROM unnest($1::text[], $2::text[], $3::text[]) AS t(id, owners, rule)
     WHERE s.id = t.id
       -- Only specs whose owners or deciding rule change: an unchanged row is not rewritten.
       AND (s.owners IS DISTINCT FROM (CASE WHEN t.owners = '' THEN ARRAY[]::text[] ELSE string_to_array(t.owners, ' ') END)
            OR s."ownerRuleId" IS DISTINCT FROM t.rule)`,
    [specs.rows.map((s) => s.id), decided.map((d) => d?.rule.owners.join(" ") ?? ""), decided.map((d) => d?.rule.id ?? null)],
  );
}

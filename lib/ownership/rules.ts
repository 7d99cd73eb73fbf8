import type pg from "pg";
import { z } from "zod";
import type { RunResult } from "@/lib/audit";
import { assertCan, type Viewer } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { idString, text } from "@/lib/schema";
import { MAX_REQUIRED_APPROVALS } from "@/lib/reviews/policy";
import { parseCodeowners } from "./codeowners";
import { recomputeOwners } from "./index";

export const policySchema = z.object({
  requiredApprovals: z.coerce.number().int().min(1, "At least one approval.").max(MAX_REQUIRED_APPROVALS, `At most ${MAX_REQUIRED_APPROVALS} approvals.`),
  requireOwnerApproval: z.boolean(),
  blockOnChangesRequested: z.boolean(),
  breakingOwnerApprovals: z.coerce
    .number()
    .int()
    .min(0, "Zero or more owner approvals.")
    .max(MAX_REQUIRED_APPROVALS, `At most ${MAX_REQUIRED_APPROVALS} owner approvals.`)
    .default(1),
});

/** One CODEOWNERS line's worth: a pattern and its owners, checked as the file parser checks them. */
export function parseRuleLine(pattern: string, owners: string): { pattern: string; owners: string[] } {
  const p = pattern.trim();
  if (!p || /\s/.test(p)) throw new AppError("unprocessable", "A pattern is one CODEOWNERS pattern, without spaces (e.g. specs/ or *.md).");
  if (p.length > 500) throw new AppError("unprocessable", "The pattern is longer than 500 characters.");
  const line = `${p.replace(/#/g, "\\#")} ${owners.trim()}`;
  const parsed = parseCodeowners(line);
  if (parsed.errors.length > 0) throw new AppError("unprocessable", parsed.errors[0].message);
  const rule = parsed.rules[0];
  if (rule.owners.length > 50) throw new AppError("unprocessable", "At most 50 owners per rule.");
  return { pattern: rule.pattern, owners: rule.owners };
}

export async function listOwnershipRules(viewer: Viewer) {
  assertCan(viewer, "policies:manage");
  const [rules, repositories] = await Promise.all([
    db.ownershipRule.findMany({
      orderBy: [{ repositoryId: "asc" }, { position: "asc" }],
      include: { repository: { select: { id: true, name: true } }, _count: { select: { specs: true } } },
    }),
    db.repository.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
  ]);
  return { workspace: rules.filter((r) => r.repositoryId === null), rules: rules.filter((r) => r.repositoryId !== null), repositories };
}

/**
 * Locks the repositories a rule reaches (every one, for a workspace-wide rule) so that an
 * import cannot recompute owners from an older rule set at the same time, then recomputes.
 */
async function lockAndRecompute(client: pg.PoolClient, repositoryId: string | null, run: () => Promise<void>) {
  await client.query(`SET LOCAL lock_timeout = '30s'`);
  const repos = await client.query<{ id: string }>(`SELECT id FROM "Repository" WHERE $1::text IS NULL OR id = $1 ORDER BY id FOR UPDATE`, [repositoryId]);
  if (repositoryId && repos.rows.length === 0) throw new AppError("not_found", "Repository not found");
  await run();
  for (const repo of repos.rows) await recomputeOwners(client, repo.id);
}

/** Waiting 30 s for an import's lock ends in a clear conflict, not a 500. */
async function busyAsConflict<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error && typeof error === "object" && (error as { code?: string }).code === "55P03") {
      throw new AppError("conflict", "An import is writing to this repository; try again in a moment.");
    }
    throw error;
  }
}

const defaultPolicy = { requiredApprovals: 1, requireOwnerApproval: false, blockOnChangesRequested: true, breakingOwnerApprovals: 1 };
export const addRuleInput = z
  .object({ repositoryId: idString().nullable(), pattern: text(), owners: text().max(5000), policy: policySchema.default(defaultPolicy) })
  .strict();
export const updateRuleInput = z.object({ ruleId: idString(), pattern: text().optional(), owners: text().max(5000).optional(), policy: policySchema }).strict();
export const removeRuleInput = z.object({ ruleId: idString() }).strict();
export const ruleRef = z.object({ id: z.string() });

/** Adds a rule after the existing ones (so it wins over them), for one repository or all. */
export async function addOwnershipRule(client: pg.PoolClient, opts: z.output<typeof addRuleInput>): Promise<RunResult<{ id: string }>> {
  const rule = parseRuleLine(opts.pattern, opts.owners);
  const policy = opts.policy;
  return busyAsConflict(async () => {
    let id = "";
    await lockAndRecompute(client, opts.repositoryId, async () => {
      const inserted = await client.query<{ id: string }>(
        `INSERT INTO "OwnershipRule" (id, "repositoryId", position, pattern, owners, source, "requiredApprovals", "requireOwnerApproval", "blockOnChangesRequested", "breakingOwnerApprovals")
         SELECT gen_random_uuid()::text, $1, coalesce(max(position), 0) + 1, $2, $3, 'manual', $4, $5, $6, $7
         FROM "OwnershipRule" WHERE "repositoryId" IS NOT DISTINCT FROM $1
         RETURNING id`,
        [
          opts.repositoryId,
          rule.pattern,
          rule.owners,
          policy.requiredApprovals,
          policy.requireOwnerApproval,
          policy.blockOnChangesRequested,
          policy.breakingOwnerApprovals,
        ],
      );
      id = inserted.rows[0].id;
    });
    return {
      result: { id },
      audit: { action: "ownership.rule_added", subject: `ownership-rule:${id}`, payload: { repositoryId: opts.repositoryId, ...rule, ...policy } },
    };
  });
}

/**
 * Edits a rule. Imported rules keep the pattern and owners their CODEOWNERS file gives
 * them (change the file instead); their review policy can be set here and survives re-imports.
 */
export async function updateOwnershipRule(client: pg.PoolClient, opts: z.output<typeof updateRuleInput>): Promise<RunResult<{ id: string }>> {
  const policy = opts.policy;
  return busyAsConflict(async () => {
    const existing = await client.query<{ id: string; repositoryId: string | null; pattern: string; owners: string[]; source: string }>(
      `SELECT id, "repositoryId", pattern, owners, source FROM "OwnershipRule" WHERE id = $1`,
      [opts.ruleId],
    );
    const before = existing.rows[0];
    if (!before) throw new AppError("not_found", "Ownership rule not found");
    const imported = before.source !== "manual";
    const changesMatching = opts.pattern !== undefined || opts.owners !== undefined;
    if (imported && changesMatching && (opts.pattern?.trim() !== before.pattern || opts.owners?.trim().split(/\s+/).join(" ") !== before.owners.join(" "))) {
      throw new AppError(
        "conflict",
        `This rule comes from ${before.source.replace(/^codeowners:/, "")}: change the file in the repository; only its review policy is set here.`,
      );
    }
    const rule =
      imported || !changesMatching
        ? { pattern: before.pattern, owners: before.owners }
        : parseRuleLine(opts.pattern ?? before.pattern, opts.owners ?? before.owners.join(" "));
    await lockAndRecompute(client, before.repositoryId, async () => {
      await client.query(
        `UPDATE "OwnershipRule" SET pattern = $2, owners = $3, "requiredApprovals" = $4, "requireOwnerApproval" = $5, "blockOnChangesRequested" = $6, "breakingOwnerApprovals" = $7
         WHERE id = $1`,
        [
          before.id,
          rule.pattern,
          rule.owners,
          policy.requiredApprovals,
          policy.requireOwnerApproval,
          policy.blockOnChangesRequested,
          policy.breakingOwnerApprovals,
        ],
      );
    });
    return {
      result: { id: before.id },
      audit: {
        action: "ownership.rule_changed",
        subject: `ownership-rule:${before.id}`,
        payload: { repositoryId: before.repositoryId, before: { pattern: before.pattern, owners: before.owners }, ...rule, ...policy },
      },
    };
  });
}

export async function removeOwnershipRule(client: pg.PoolClient, opts: z.output<typeof removeRuleInput>): Promise<RunResult<{ id: string }>> {
  return busyAsConflict(async () => {
    const existing = await client.query<{ id: string; repositoryId: string | null; pattern: string; owners: string[]; source: string }>(
      `SELECT id, "repositoryId", pattern, owners, source FROM "OwnershipRule" WHERE id = $1`,
      [opts.ruleId],
    );
    const rule = existing.rows[0];
    if (!rule) throw new AppError("not_found", "Ownership rule not found");
    if (rule.source !== "manual") throw new AppError("conflict", `This rule comes from ${rule.source.replace(/^codeowners:/, "")}: remove it from the file.`);
    await lockAndRecompute(client, rule.repositoryId, async () => {
      await client.query(`UPDATE "Spec" SET "ownerRuleId" = NULL WHERE "ownerRuleId" = $1`, [rule.id]);
      await client.query(`DELETE FROM "OwnershipRule" WHERE id = $1`, [rule.id]);
    });
    return {
      result: { id: rule.id },
      audit: {
        action: "ownership.rule_removed",
        subject: `ownership-rule:${rule.id}`,
        payload: { repositoryId: rule.repositoryId, pattern: rule.pattern, owners: rule.owners },
      },
    };
  });
}

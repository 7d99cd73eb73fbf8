import type pg from "pg";
import { z } from "zod";
import { appendAuditEvent } from "@/lib/audit";
import { assertCan } from "@/lib/auth/permissions";
import { db, type Role } from "@/lib/db";
import { withPgTransaction } from "@/lib/db/pg";
import { AppError } from "@/lib/errors";
import { MAX_REQUIRED_APPROVALS } from "@/lib/reviews/policy";
import { parseCodeowners } from "./codeowners";
import { recomputeOwners } from "./index";

type Viewer = { id: string; email: string; role: Role };

const actor = (viewer: Viewer) => ({ id: viewer.id, label: viewer.email });

export const policySchema = z.object({
  requiredApprovals: z.coerce.number().int().min(1, "At least one approval.").max(MAX_REQUIRED_APPROVALS, `At most ${MAX_REQUIRED_APPROVALS} approvals.`),
  requireOwnerApproval: z.boolean(),
  blockOnChangesRequested: z.boolean(),
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
  const repos = await client.query<{ id: string }>(
    `SELECT id FROM "Repository" WHERE $1::text IS NULL OR id = $1 ORDER BY id FOR UPDATE`,
    [repositoryId],
  );
  if (repositoryId && repos.rows.length === 0) throw new AppError("not_found", "Repository not found");
  await run();
  for (const repo of repos.rows) await recomputeOwners(client, repo.id);
}

async function withRuleTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  try {
    return await withPgTransaction(fn);
  } catch (error) {
    if (error && typeof error === "object" && (error as { code?: string }).code === "55P03") {
      throw new AppError("conflict", "An import is writing to this repository; try again in a moment.");
    }
    throw error;
  }
}

/** Adds a rule after the existing ones (so it wins over them), for one repository or all. */
export async function addOwnershipRule(opts: { viewer: Viewer; repositoryId: string | null; pattern: string; owners: string; policy?: z.input<typeof policySchema> }) {
  assertCan(opts.viewer, "policies:manage");
  const rule = parseRuleLine(opts.pattern, opts.owners);
  const policy = policySchema.parse(opts.policy ?? { requiredApprovals: 1, requireOwnerApproval: false, blockOnChangesRequested: true });
  return withRuleTransaction(async (client) => {
    let id = "";
    await lockAndRecompute(client, opts.repositoryId, async () => {
      const inserted = await client.query<{ id: string }>(
        `INSERT INTO "OwnershipRule" (id, "repositoryId", position, pattern, owners, source, "requiredApprovals", "requireOwnerApproval", "blockOnChangesRequested")
         SELECT gen_random_uuid()::text, $1, coalesce(max(position), 0) + 1, $2, $3, 'manual', $4, $5, $6
         FROM "OwnershipRule" WHERE "repositoryId" IS NOT DISTINCT FROM $1
         RETURNING id`,
        [opts.repositoryId, rule.pattern, rule.owners, policy.requiredApprovals, policy.requireOwnerApproval, policy.blockOnChangesRequested],
      );
      id = inserted.rows[0].id;
      await appendAuditEvent({
        client,
        actor: actor(opts.viewer),
        action: "ownership.rule_added",
        subject: `ownership-rule:${id}`,
        payload: { repositoryId: opts.repositoryId, ...rule, ...policy },
      });
    });
    return { id };
  });
}

/**
 * Edits a rule. Imported rules keep the pattern and owners their CODEOWNERS file gives
 * them (change the file instead); their review policy can be set here and survives re-imports.
 */
export async function updateOwnershipRule(opts: {
  viewer: Viewer;
  ruleId: string;
  pattern?: string;
  owners?: string;
  policy: z.input<typeof policySchema>;
}) {
  assertCan(opts.viewer, "policies:manage");
  const policy = policySchema.parse(opts.policy);
  return withRuleTransaction(async (client) => {
    const existing = await client.query<{ id: string; repositoryId: string | null; pattern: string; owners: string[]; source: string }>(
      `SELECT id, "repositoryId", pattern, owners, source FROM "OwnershipRule" WHERE id = $1`,
      [opts.ruleId],
    );
    const before = existing.rows[0];
    if (!before) throw new AppError("not_found", "Ownership rule not found");
    const imported = before.source !== "manual";
    const changesMatching = opts.pattern !== undefined || opts.owners !== undefined;
    if (imported && changesMatching && (opts.pattern?.trim() !== before.pattern || opts.owners?.trim().split(/\s+/).join(" ") !== before.owners.join(" "))) {
      throw new AppError("conflict", `This rule comes from ${before.source.replace(/^codeowners:/, "")}: change the file in the repository; only its review policy is set here.`);
    }
    const rule = imported || !changesMatching ? { pattern: before.pattern, owners: before.owners } : parseRuleLine(opts.pattern ?? before.pattern, opts.owners ?? before.owners.join(" "));
    await lockAndRecompute(client, before.repositoryId, async () => {
      await client.query(
        `UPDATE "OwnershipRule" SET pattern = $2, owners = $3, "requiredApprovals" = $4, "requireOwnerApproval" = $5, "blockOnChangesRequested" = $6 WHERE id = $1`,
        [before.id, rule.pattern, rule.owners, policy.requiredApprovals, policy.requireOwnerApproval, policy.blockOnChangesRequested],
      );
      await appendAuditEvent({
        client,
        actor: actor(opts.viewer),
        action: "ownership.rule_changed",
        subject: `ownership-rule:${before.id}`,
        payload: { repositoryId: before.repositoryId, before: { pattern: before.pattern, owners: before.owners }, ...rule, ...policy },
      });
    });
  });
}

export async function removeOwnershipRule(opts: { viewer: Viewer; ruleId: string }) {
  assertCan(opts.viewer, "policies:manage");
  return withRuleTransaction(async (client) => {
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
      await appendAuditEvent({
        client,
        actor: actor(opts.viewer),
        action: "ownership.rule_removed",
        subject: `ownership-rule:${rule.id}`,
        payload: { repositoryId: rule.repositoryId, pattern: rule.pattern, owners: rule.owners },
      });
    });
  });
}

// "Propose fix" (decision 046): a lint finding that `specledger lint --fix` can fix becomes a
// proposed change through the normal review path. The fixed text comes from the same pure
// function as the CLI's (lib/findings/fix.ts), applied to the exact version the finding names.
import { z } from "zod";
import type { RunResult } from "@/lib/audit";
import { assertCan, type Viewer } from "@/lib/auth/permissions";
import { db, type Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { changeRef, proposeChange, type ChangeRef } from "@/lib/reviews/propose";
import { idString, text } from "@/lib/schema";
import { SPEC_KINDS, type SpecKind } from "@/lib/specs/kinds";
import { readEvidence } from "./evidence";
import { FIXABLE_RULES, fixFile } from "./fix";

export const proposeFixInput = z
  .object({
    findingId: idString(),
    contentHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/, "A content hash is 64 lower-case hex digits.")
      .optional()
      .describe("The version the caller saw the finding on; refused with 409 when the finding or the file has moved on."),
    title: text().trim().min(1).max(200).optional().describe("Defaults to the rule and the path."),
    description: text().max(10_000).optional().describe("Defaults to the list of changes the fix makes."),
  })
  .strict();

/** The body of POST /findings/{id}/fix. */
export const proposeFixBody = proposeFixInput.omit({ findingId: true });

export const proposeFixResult = changeRef.extend({ changes: z.array(z.string()).describe("What the fix changed, one line each.") });
export type ProposeFixResult = ChangeRef & { changes: string[] };

type FindingForFix = {
  id: string;
  type: string;
  rule: string;
  status: string;
  evidence: unknown;
  spec: { id: string; path: string; kind: string; currentHash: string | null; deleted: boolean } | null;
};

/** The version a lint finding names, or null when the finding is not a fixable lint finding. */
function fixTarget(finding: FindingForFix) {
  const kind = SPEC_KINDS.find((k) => k === finding.spec?.kind);
  if (finding.type !== "lint" || !FIXABLE_RULES.has(finding.rule) || !finding.spec || !kind) return null;
  const typed = readEvidence({ type: "lint", evidence: finding.evidence });
  if (typed?.type !== "lint") return null;
  return { spec: { ...finding.spec, kind }, contentHash: typed.evidence.contentHash ?? null };
}

/** The fix of the text at `hash` for `spec`: what `specledger lint --fix` writes for the same bytes. */
async function fixAt(client: Prisma.TransactionClient, spec: { path: string; kind: SpecKind }, hash: string) {
  const content = await client.content.findUnique({ where: { hash }, select: { text: true } });
  if (!content) return null;
  return fixFile({ path: spec.path, kind: spec.kind, text: content.text });
}

const findingSelect = {
  id: true,
  type: true,
  rule: true,
  status: true,
  evidence: true,
  spec: { select: { id: true, path: true, kind: true, currentHash: true, deleted: true } },
} as const;

/**
 * Proposes the safe fix of the file a lint finding is on, computed from the version the finding
 * names. Refused (409) when the file has a newer version than the finding: the fix would be of
 * text nobody is looking at. Permission to propose is checked by the operation and here.
 */
export async function proposeFindingFix(
  tx: Prisma.TransactionClient,
  viewer: Viewer,
  input: z.output<typeof proposeFixInput>,
): Promise<RunResult<ProposeFixResult>> {
  assertCan(viewer, "reviews:propose");
  const finding = await tx.finding.findUnique({ where: { id: input.findingId }, select: findingSelect });
  if (!finding) throw new AppError("not_found", "Finding not found");
  const target = fixTarget(finding);
  if (!target) throw new AppError("unprocessable", `A ${finding.rule} finding has no safe fix: only ${[...FIXABLE_RULES].join(" and ")} findings do.`);
  if (finding.status === "resolved") throw new AppError("conflict", "This finding is resolved: there is nothing left to fix.");
  if (!target.contentHash)
    throw new AppError("conflict", "This finding was recorded before findings named their version; it is refreshed at the next recomputation.");
  if (input.contentHash && input.contentHash !== target.contentHash) {
    throw new AppError("conflict", "The finding was recomputed on another version since you opened it; reload the page and look at the fix again.");
  }
  const { spec } = target;
  if (spec.deleted) throw new AppError("conflict", `${spec.path} was deleted; there is nothing to fix.`);
  if (spec.currentHash !== target.contentHash) {
    throw new AppError("conflict", `${spec.path} has changed since this finding was computed; the fix is offered again once the findings are recomputed.`);
  }
  const fixed = await fixAt(tx, spec, target.contentHash);
  if (!fixed) throw new AppError("conflict", `The content of ${spec.path} that the finding names is not stored.`);
  if (fixed.changes.length === 0)
    throw new AppError("unprocessable", "No safe fix applies to this file: the result would not be certain, so it is left to you.");
  const proposed = await proposeChange(tx, viewer, {
    specId: spec.id,
    content: fixed.text,
    title: input.title ?? `Fix ${finding.rule} in ${spec.path}`,
    description: input.description ?? ["The safe fix of `specledger lint --fix`, proposed from the finding:", ...fixed.changes.map((c) => `- ${c}`)].join("\n"),
    lineEndings: "as-sent",
  });
  const audit = [...(Array.isArray(proposed.audit) ? proposed.audit : proposed.audit ? [proposed.audit] : [])];
  audit.push({
    action: "finding.fix_proposed",
    subject: `finding:${finding.id}`,
    payload: { rule: finding.rule, change: proposed.result.number, contentHash: target.contentHash },
  });
  return { result: { ...proposed.result, changes: fixed.changes }, audit };
}

export type FixPreview = { changes: string[]; contentHash: string } | { changes: []; reason: string };

/**
 * What "Propose fix" would change, for the finding's page: null when the finding is not one
 * `lint --fix` handles (no button), a reason when it is but no fix applies now.
 */
export async function previewFindingFix(viewer: Viewer, findingId: string): Promise<FixPreview | null> {
  assertCan(viewer, "specs:read");
  const finding = await db.finding.findUnique({ where: { id: findingId }, select: findingSelect });
  if (!finding) return null;
  const target = fixTarget(finding);
  if (!target || finding.status === "resolved") return null;
  if (!target.contentHash) return { changes: [], reason: "This finding predates versioned evidence; the fix is offered after the next recomputation." };
  if (target.spec.deleted || target.spec.currentHash !== target.contentHash) {
    return { changes: [], reason: "The file has changed since this finding was computed; the fix is offered again once the findings are recomputed." };
  }
  const fixed = await fixAt(db, target.spec, target.contentHash);
  if (!fixed || fixed.changes.length === 0) return { changes: [], reason: "No safe fix applies to this file; it is left to you." };
  return { changes: fixed.changes, contentHash: target.contentHash };
}

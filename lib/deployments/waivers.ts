import { z } from "zod";
import type { RunResult } from "@/lib/audit";
import { assertCan, type Viewer } from "@/lib/auth/permissions";
import { db, type Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { idString, text, timestamp } from "@/lib/schema";

// Break-glass waivers (docs/decisions/017-gate-and-waivers.md): an admin lets one version of a
// service through can-i-deploy for one environment, with a reason, until an expiry of at most
// 30 days. Created and revoked through operations (audited); the table refuses other changes.

export const MAX_WAIVER_DAYS = 30;
export const MIN_REASON_LENGTH = 10;

const name = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\w.@/:+-]+$/, "Letters, digits and . _ - @ / : + only.");

export const waiverInput = z
  .object({
    service: name.describe("The service, as deployments name it."),
    version: text().min(1).max(200).describe("The service's version the waiver lets through."),
    environment: name.describe("The one environment it applies to."),
    reason: text()
      .trim()
      .min(MIN_REASON_LENGTH, `Say why in at least ${MIN_REASON_LENGTH} characters.`)
      .max(2000)
      .describe("Why this version must ship despite the gate; shown on every answer the waiver changes."),
    expiresAt: timestamp().describe(`When the waiver stops applying: in the future, at most ${MAX_WAIVER_DAYS} days away.`),
  })
  .strict();
export type WaiverInput = z.output<typeof waiverInput>;

export const revokeWaiverInput = z.object({ id: idString() }).strict();

export const waiverView = z.object({
  id: z.string(),
  service: z.string(),
  version: z.string(),
  environment: z.string(),
  reason: z.string(),
  expiresAt: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  revokedBy: z.string().nullable(),
  state: z.enum(["active", "expired", "revoked"]),
});
export type WaiverView = z.infer<typeof waiverView>;

/** Why an expiry is refused, or null: it must lie in the future and at most 30 days from `now`. */
export function expiryProblem(expiresAt: Date, now: Date): string | null {
  if (expiresAt.getTime() <= now.getTime()) return "expiresAt must be in the future.";
  if (expiresAt.getTime() - now.getTime() > MAX_WAIVER_DAYS * 86_400_000) return `A waiver lasts at most ${MAX_WAIVER_DAYS} days.`;
  return null;
}

/** A waiver's state at `now`: revoked wins over expired. */
export function waiverState(w: { revokedAt: Date | null; expiresAt: Date }, now: Date): WaiverView["state"] {
  if (w.revokedAt) return "revoked";
  return w.expiresAt.getTime() > now.getTime() ? "active" : "expired";
}

type WaiverRow = Prisma.GateWaiverGetPayload<object>;

function view(w: WaiverRow, emails: Map<string, string>, now: Date): WaiverView {
  return {
    id: w.id,
    service: w.service,
    version: w.version,
    environment: w.environment,
    reason: w.reason,
    expiresAt: w.expiresAt.toISOString(),
    createdBy: emails.get(w.createdById) ?? "a deleted user",
    createdAt: w.createdAt.toISOString(),
    revokedAt: w.revokedAt?.toISOString() ?? null,
    revokedBy: w.revokedById ? (emails.get(w.revokedById) ?? "a deleted user") : null,
    state: waiverState(w, now),
  };
}

async function emailsOf(client: Prisma.TransactionClient, rows: WaiverRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.flatMap((w) => [w.createdById, ...(w.revokedById ? [w.revokedById] : [])]))];
  const users = ids.length ? await client.user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true } }) : [];
  return new Map(users.map((u) => [u.id, u.email]));
}

/** Records a waiver for a version Specledger knows (some deployment record of it exists). */
export async function createWaiver(tx: Prisma.TransactionClient, viewer: Viewer, input: WaiverInput): Promise<RunResult<WaiverView>> {
  const now = new Date();
  const expiresAt = new Date(input.expiresAt);
  const problem = expiryProblem(expiresAt, now);
  if (problem) throw new AppError("unprocessable", problem, { issues: [{ path: ["expiresAt"], message: problem }] });
  const known = await tx.deployment.findFirst({ where: { service: input.service, version: input.version }, select: { id: true } });
  if (!known)
    throw new AppError("unprocessable", `Specledger knows no version ${input.version} of ${input.service}: record it first (specledger deploy record).`);
  const waiver = await tx.gateWaiver.create({
    data: { service: input.service, version: input.version, environment: input.environment, reason: input.reason, expiresAt, createdById: viewer.id },
  });
  return {
    result: view(waiver, new Map([[viewer.id, viewer.email]]), now),
    audit: {
      action: "waiver.created",
      subject: `waiver:${waiver.id}`,
      payload: { service: input.service, version: input.version, environment: input.environment, reason: input.reason, expiresAt: expiresAt.toISOString() },
    },
  };
}

/** Revokes a waiver that is still active; a revoked or expired one is a conflict (nothing to revoke). */
export async function revokeWaiver(tx: Prisma.TransactionClient, viewer: Viewer, input: z.output<typeof revokeWaiverInput>): Promise<RunResult<WaiverView>> {
  const now = new Date();
  const waiver = await tx.gateWaiver.findUnique({ where: { id: input.id } });
  if (!waiver) throw new AppError("not_found", "Waiver not found.");
  const state = waiverState(waiver, now);
  if (state !== "active") throw new AppError("conflict", `Waiver ${waiver.id} is ${state} already; there is nothing to revoke.`);
  // Only an active waiver is updated, so two revocations racing cannot both succeed.
  const { count } = await tx.gateWaiver.updateMany({ where: { id: waiver.id, revokedAt: null }, data: { revokedAt: now, revokedById: viewer.id } });
  if (count !== 1) throw new AppError("conflict", `Waiver ${waiver.id} was revoked already.`);
  const revoked = { ...waiver, revokedAt: now, revokedById: viewer.id };
  return {
    result: view(revoked, await emailsOf(tx, [revoked]), now),
    audit: {
      action: "waiver.revoked",
      subject: `waiver:${waiver.id}`,
      payload: { service: waiver.service, version: waiver.version, environment: waiver.environment },
    },
  };
}

export const waiverQuerySchema = z.object({
  service: name.optional(),
  environment: name.optional(),
  state: z.enum(["active", "all"]).optional().describe("active (the default): only waivers that apply now."),
});

/** Waivers, newest first (at most 200): the active ones by default. */
export async function listWaivers(viewer: Viewer, query: z.output<typeof waiverQuerySchema> = {}): Promise<WaiverView[]> {
  assertCan(viewer, "deployments:read");
  const now = new Date();
  const rows = await db.gateWaiver.findMany({
    where: {
      ...(query.service ? { service: query.service } : {}),
      ...(query.environment ? { environment: query.environment } : {}),
      ...(query.state === "all" ? {} : { revokedAt: null, expiresAt: { gt: now } }),
    },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: 200,
  });
  const emails = await emailsOf(db, rows);
  return rows.map((w) => view(w, emails, now));
}

import type { z } from "zod";
import type { RunResult } from "@/lib/audit";
import { assertCan, type Viewer } from "@/lib/auth/permissions";
import { db, Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { findTicketKey, ticketPolicySchema, ticketUrl, type ticketPolicyInput, type TicketPolicy } from "./ticket";

/** Sets (or with null, turns off) a repository's "no ticket, no spec change" policy; audited with the old and new values. */
export async function setTicketPolicy(
  tx: Prisma.TransactionClient,
  input: z.output<typeof ticketPolicyInput>,
): Promise<RunResult<{ repositoryId: string; policy: TicketPolicy | null }>> {
  const repo = await tx.repository.findUnique({ where: { id: input.repositoryId }, select: { id: true, ticketPolicy: true } });
  if (!repo) throw new AppError("not_found", "Repository not found.");
  await tx.repository.update({ where: { id: repo.id }, data: { ticketPolicy: input.policy === null ? Prisma.DbNull : input.policy } });
  return {
    result: { repositoryId: repo.id, policy: input.policy },
    audit: { action: "repository.ticket_policy_set", subject: `repository:${repo.id}`, payload: { from: repo.ticketPolicy ?? null, to: input.policy } },
  };
}

/** A stored policy, or null when off (or no longer valid: see assertTicketReferenced, which then refuses). */
export function readTicketPolicy(value: unknown): TicketPolicy | null {
  const parsed = ticketPolicySchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Refuses a proposal whose title and description name no issue key when the repository asks for one. */
export async function assertTicketReferenced(tx: Prisma.TransactionClient, repositoryId: string, title: string, description: string): Promise<void> {
  const repo = await tx.repository.findUnique({ where: { id: repositoryId }, select: { ticketPolicy: true } });
  const stored = repo?.ticketPolicy ?? null;
  const policy = readTicketPolicy(stored);
  // Fail closed: a policy that is set but can no longer be read is not silently dropped.
  if (!policy && stored !== null) {
    throw new AppError("conflict", "This repository's ticket policy cannot be read, so spec changes are refused until an admin sets it again.");
  }
  if (!policy) return;
  if (findTicketKey(`${title}\n${description}`, policy.prefixes)) return;
  const example = `${policy.prefixes[0]}-123`;
  throw new AppError(
    "unprocessable",
    `This repository needs a ticket for every spec change: name an issue key (${policy.prefixes.map((p) => `${p}-…`).join(", ")}) in the title or description, e.g. "${example}: …".`,
  );
}

/** The issue key a change names and its tracker link, when its repository has a ticket policy. */
export async function changeTicketLink(viewer: Viewer, repositoryId: string, title: string, description: string): Promise<{ key: string; url: string } | null> {
  assertCan(viewer, "reviews:read");
  const repo = await db.repository.findUnique({ where: { id: repositoryId }, select: { ticketPolicy: true } });
  const policy = readTicketPolicy(repo?.ticketPolicy ?? null);
  const key = policy ? findTicketKey(`${title}\n${description}`, policy.prefixes) : null;
  return policy && key ? { key, url: ticketUrl(policy.urlTemplate, key) } : null;
}

/** Every current repository's ticket policy, for the admins' settings page; `unreadable` marks a stored policy that refuses proposals. */
export async function listTicketPolicies(viewer: Viewer) {
  assertCan(viewer, "policies:manage");
  const repositories = await db.repository.findMany({
    where: { archivedAt: null },
    orderBy: { name: "asc" },
    select: { id: true, name: true, ticketPolicy: true },
  });
  return repositories.map((r) => {
    const policy = readTicketPolicy(r.ticketPolicy ?? null);
    return { id: r.id, name: r.name, policy, unreadable: policy === null && r.ticketPolicy !== null };
  });
}

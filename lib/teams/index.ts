import { z } from "zod";
import type { RunResult } from "@/lib/audit";
import { assertCan, type Viewer } from "@/lib/auth/permissions";
import { db, type Prisma, type Role } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { idString, text } from "@/lib/schema";

/** The longest team slug: GitHub caps an org at 39 characters and a team at 100, so "@org/team" fits in 141. */
export const TEAM_SLUG_MAX = 141;
/** A team slug as CODEOWNERS writes it: @org/team. */
export const teamSlugSchema = text()
  .trim()
  .max(TEAM_SLUG_MAX, `A team name is at most ${TEAM_SLUG_MAX} characters.`)
  .regex(/^@[A-Za-z0-9][\w.-]*\/[\w.-]+$/, "A team is named like CODEOWNERS names it: @org/team.");

export async function listTeams(viewer: Viewer) {
  assertCan(viewer, "teams:manage");
  return db.team.findMany({
    orderBy: { slug: "asc" },
    include: { members: { include: { user: { select: { id: true, email: true, name: true } } }, orderBy: { createdAt: "asc" } } },
  });
}

export const USERS_PAGE = 100;

/**
 * People, by email, a page at a time (a workspace may have thousands), optionally those whose
 * email, name or handle contains `q`; with the total, so the page can say how many there are.
 */
export async function listUsers(viewer: Viewer, opts: { q?: string; page?: number } = {}) {
  assertCan(viewer, "users:manage");
  const q = opts.q
    ?.trim()
    .slice(0, 200)
    .replace(/\u0000/g, "");
  const where = q
    ? {
        OR: [
          { email: { contains: q, mode: "insensitive" as const } },
          { name: { contains: q, mode: "insensitive" as const } },
          { handle: { contains: q, mode: "insensitive" as const } },
        ],
      }
    : {};
  const page = Math.max(1, Math.min(opts.page ?? 1, 10_000));
  const [users, total] = await Promise.all([
    db.user.findMany({
      where,
      orderBy: { email: "asc" },
      take: USERS_PAGE,
      skip: (page - 1) * USERS_PAGE,
      select: { id: true, email: true, name: true, role: true, handle: true, lastSignInAt: true },
    }),
    db.user.count({ where }),
  ]);
  return { users, total, page };
}

export const createTeamInput = z.object({ slug: teamSlugSchema, name: text().trim().max(100).optional() }).strict();
export const teamMemberInput = z.object({ teamId: idString(), email: text().trim().toLowerCase().pipe(z.email("Give the member's email address.")) }).strict();
export const removeTeamMemberInput = z.object({ teamId: idString(), userId: idString() }).strict();
export const setUserRoleInput = z.object({ userId: idString(), role: z.enum(["admin", "maintainer", "reviewer", "viewer"]) }).strict();
export const setUserHandleInput = z
  .object({
    userId: idString(),
    handle: text()
      .trim()
      .transform((h) => h.replace(/^@/, "").toLowerCase())
      .pipe(z.string().regex(/^([a-z0-9][\w.-]{0,38})?$/, "A handle is a GitHub-style login: letters, digits, - _ and .")),
  })
  .strict();

type Tx = Prisma.TransactionClient;
export const teamView = z.object({ id: z.string(), slug: z.string(), name: z.string() });
export const userView = z.object({ id: z.string(), email: z.string(), role: z.string(), handle: z.string().nullable() });

export async function createTeam(tx: Tx, input: z.output<typeof createTeamInput>): Promise<RunResult<z.infer<typeof teamView>>> {
  const name = (input.name || input.slug.split("/")[1]).slice(0, 100);
  if (await tx.team.findUnique({ where: { slug: input.slug } })) throw new AppError("conflict", `The team ${input.slug} exists already.`);
  const team = await tx.team.create({ data: { slug: input.slug, name } });
  return {
    result: { id: team.id, slug: team.slug, name: team.name },
    audit: { action: "team.created", subject: `team:${team.id}`, payload: { slug: input.slug, name } },
  };
}

export async function addTeamMember(tx: Tx, input: z.output<typeof teamMemberInput>): Promise<RunResult<{ teamId: string; userId: string }>> {
  const team = await tx.team.findUnique({ where: { id: input.teamId } });
  if (!team) throw new AppError("not_found", "Team not found");
  const user = await tx.user.findUnique({ where: { email: input.email } });
  if (!user) throw new AppError("not_found", `No user has the email ${input.email}.`);
  if (await tx.teamMember.findUnique({ where: { teamId_userId: { teamId: team.id, userId: user.id } } })) {
    throw new AppError("conflict", `${input.email} is in ${team.slug} already.`);
  }
  await tx.teamMember.create({ data: { teamId: team.id, userId: user.id } });
  return {
    result: { teamId: team.id, userId: user.id },
    audit: { action: "team.member_added", subject: `team:${team.id}`, payload: { userId: user.id, email: input.email } },
  };
}

export async function removeTeamMember(tx: Tx, input: z.output<typeof removeTeamMemberInput>): Promise<RunResult<{ teamId: string; userId: string }>> {
  const removed = await tx.teamMember.deleteMany({ where: { teamId: input.teamId, userId: input.userId } });
  if (removed.count === 0) throw new AppError("not_found", "That member is not in the team.");
  return { result: input, audit: { action: "team.member_removed", subject: `team:${input.teamId}`, payload: { userId: input.userId } } };
}

/** Whether changing a user from `from` to `to` would leave the workspace without an admin. */
export function wouldRemoveLastAdmin(from: Role, to: Role, admins: number): boolean {
  return from === "admin" && to !== "admin" && admins <= 1;
}

const ROLE_RANK: Record<Role, number> = { viewer: 0, reviewer: 1, maintainer: 2, admin: 3 };

/**
 * Changes a user's role; the workspace always keeps at least one admin. Run serializable (the
 * operation's default), so two admins demoting each other at once cannot leave nobody in charge.
 * A lowered role also ends the user's sessions: whoever holds a copy of one signs in again.
 */
export async function setUserRole(tx: Tx, input: z.output<typeof setUserRoleInput>): Promise<RunResult<z.infer<typeof userView>>> {
  const user = await tx.user.findUnique({ where: { id: input.userId } });
  if (!user) throw new AppError("not_found", "User not found");
  const view = (u: typeof user) => ({ id: u.id, email: u.email, role: u.role, handle: u.handle });
  if (user.role === input.role) return { result: view(user) };
  if (wouldRemoveLastAdmin(user.role, input.role, await tx.user.count({ where: { role: "admin" } }))) {
    throw new AppError("conflict", "This is the last admin; make someone else an admin first.");
  }
  const lowered = ROLE_RANK[input.role] < ROLE_RANK[user.role];
  const updated = await tx.user.update({ where: { id: user.id }, data: { role: input.role, ...(lowered ? { sessionsRevokedAt: new Date() } : {}) } });
  return {
    result: view(updated),
    audit: {
      action: "user.role_changed",
      subject: `user:${user.id}`,
      payload: { from: user.role, to: input.role, ...(lowered ? { sessionsEnded: true } : {}) },
    },
  };
}

/** Sets the handle CODEOWNERS names a user by (@handle, usually the GitHub login); empty clears it. */
export async function setUserHandle(tx: Tx, input: z.output<typeof setUserHandleInput>): Promise<RunResult<z.infer<typeof userView>>> {
  const user = await tx.user.findUnique({ where: { id: input.userId } });
  if (!user) throw new AppError("not_found", "User not found");
  const handle = input.handle;
  if (handle && (await tx.user.findFirst({ where: { handle, NOT: { id: user.id } } }))) throw new AppError("conflict", `@${handle} belongs to someone else.`);
  const updated = await tx.user.update({ where: { id: user.id }, data: { handle: handle || null } });
  return {
    result: { id: updated.id, email: updated.email, role: updated.role, handle: updated.handle },
    audit: { action: "user.handle_changed", subject: `user:${user.id}`, payload: { from: user.handle, to: handle || null } },
  };
}

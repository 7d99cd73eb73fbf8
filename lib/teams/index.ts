import { z } from "zod";
import { appendAuditEvent } from "@/lib/audit";
import { assertCan } from "@/lib/auth/permissions";
import { db, type Role } from "@/lib/db";
import { serializable } from "@/lib/db/transaction";
import { forgetTokens } from "@/lib/tokens";
import { AppError } from "@/lib/errors";

type Viewer = { id: string; email: string; role: Role };

/** A team slug as CODEOWNERS writes it: @org/team. */
export const teamSlugSchema = z
  .string()
  .trim()
  .regex(/^@[A-Za-z0-9][\w.-]*\/[\w.-]+$/, "A team is named like CODEOWNERS names it: @org/team.");

const actor = (viewer: Viewer) => ({ id: viewer.id, label: viewer.email });

export async function listTeams(viewer: Viewer) {
  assertCan(viewer, "teams:manage");
  return db.team.findMany({
    orderBy: { slug: "asc" },
    include: { members: { include: { user: { select: { id: true, email: true, name: true } } }, orderBy: { createdAt: "asc" } } },
  });
}

export async function listUsers(viewer: Viewer) {
  assertCan(viewer, "users:manage");
  return db.user.findMany({ orderBy: { email: "asc" }, select: { id: true, email: true, name: true, role: true, handle: true, lastSignInAt: true } });
}

export async function createTeam(opts: { viewer: Viewer; slug: string; name?: string }) {
  assertCan(opts.viewer, "teams:manage");
  const slug = teamSlugSchema.parse(opts.slug);
  const name = (opts.name?.trim() || slug.split("/")[1]).slice(0, 100);
  return db.$transaction(async (tx) => {
    if (await tx.team.findUnique({ where: { slug } })) throw new AppError("conflict", `The team ${slug} exists already.`);
    const team = await tx.team.create({ data: { slug, name } });
    await appendAuditEvent({ tx, actor: actor(opts.viewer), action: "team.created", subject: `team:${team.id}`, payload: { slug, name } });
    return team;
  });
}

export async function addTeamMember(opts: { viewer: Viewer; teamId: string; email: string }) {
  assertCan(opts.viewer, "teams:manage");
  const email = z.string().trim().toLowerCase().email("Give the member's email address.").parse(opts.email);
  return db.$transaction(async (tx) => {
    const team = await tx.team.findUnique({ where: { id: opts.teamId } });
    if (!team) throw new AppError("not_found", "Team not found");
    const user = await tx.user.findUnique({ where: { email } });
    if (!user) throw new AppError("not_found", `No user has the email ${email}.`);
    if (await tx.teamMember.findUnique({ where: { teamId_userId: { teamId: team.id, userId: user.id } } })) {
      throw new AppError("conflict", `${email} is in ${team.slug} already.`);
    }
    await tx.teamMember.create({ data: { teamId: team.id, userId: user.id } });
    await appendAuditEvent({ tx, actor: actor(opts.viewer), action: "team.member_added", subject: `team:${team.id}`, payload: { userId: user.id, email } });
  });
}

export async function removeTeamMember(opts: { viewer: Viewer; teamId: string; userId: string }) {
  assertCan(opts.viewer, "teams:manage");
  return db.$transaction(async (tx) => {
    const removed = await tx.teamMember.deleteMany({ where: { teamId: opts.teamId, userId: opts.userId } });
    if (removed.count === 0) throw new AppError("not_found", "That member is not in the team.");
    await appendAuditEvent({ tx, actor: actor(opts.viewer), action: "team.member_removed", subject: `team:${opts.teamId}`, payload: { userId: opts.userId } });
  });
}

/** Whether changing a user from `from` to `to` would leave the workspace without an admin. */
export function wouldRemoveLastAdmin(from: Role, to: Role, admins: number): boolean {
  return from === "admin" && to !== "admin" && admins <= 1;
}

const ROLE_RANK: Record<Role, number> = { viewer: 0, reviewer: 1, maintainer: 2, admin: 3 };

/** Changes a user's role; the workspace always keeps at least one admin. */
export async function setUserRole(opts: { viewer: Viewer; userId: string; role: Role }) {
  assertCan(opts.viewer, "users:manage");
  const role = z.enum(["admin", "maintainer", "reviewer", "viewer"]).parse(opts.role);
  // Serializable, retried on conflict: two admins demoting each other at once must not
  // leave nobody in charge.
  const result = await serializable(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: opts.userId } });
    if (!user) throw new AppError("not_found", "User not found");
    if (user.role === role) return user;
    if (wouldRemoveLastAdmin(user.role, role, await tx.user.count({ where: { role: "admin" } }))) {
      throw new AppError("conflict", "This is the last admin; make someone else an admin first.");
    }
    // A lowered role also ends the user's sessions: whoever holds a copy of one signs in again.
    const lowered = ROLE_RANK[role] < ROLE_RANK[user.role];
    const updated = await tx.user.update({ where: { id: user.id }, data: { role, ...(lowered ? { sessionsRevokedAt: new Date() } : {}) } });
    await appendAuditEvent({
      tx,
      actor: actor(opts.viewer),
      action: "user.role_changed",
      subject: `user:${user.id}`,
      payload: { from: user.role, to: role, ...(lowered ? { sessionsEnded: true } : {}) },
    });
    return updated;
  });
  // After the commit: tokens carry their owner's role, and this process forgets the ones it remembers.
  forgetTokens();
  return result;
}

/** Sets the handle CODEOWNERS names a user by (@handle, usually the GitHub login); empty clears it. */
export async function setUserHandle(opts: { viewer: Viewer; userId: string; handle: string }) {
  assertCan(opts.viewer, "users:manage");
  const handle = z
    .string()
    .trim()
    .transform((h) => h.replace(/^@/, "").toLowerCase())
    .pipe(z.string().regex(/^([a-z0-9][\w.-]{0,38})?$/, "A handle is a GitHub-style login: letters, digits, - _ and ."))
    .parse(opts.handle);
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: opts.userId } });
    if (!user) throw new AppError("not_found", "User not found");
    if (handle && (await tx.user.findFirst({ where: { handle, NOT: { id: user.id } } }))) throw new AppError("conflict", `@${handle} belongs to someone else.`);
    const updated = await tx.user.update({ where: { id: user.id }, data: { handle: handle || null } });
    await appendAuditEvent({ tx, actor: actor(opts.viewer), action: "user.handle_changed", subject: `user:${user.id}`, payload: { from: user.handle, to: handle || null } });
    return updated;
  });
}

import { z } from "zod";
import { appendAuditEvent } from "@/lib/audit";
import { assertCan } from "@/lib/auth/permissions";
import { db, type Role } from "@/lib/db";
import { AppError } from "@/lib/errors";

type Viewer = { id: string; email: string; role: Role };

// Git writes whatever email a committer configured; matching is case-insensitive, so addresses are kept lowercased.
const emailSchema = z.string().trim().toLowerCase().email("Enter an email address.").max(320);
const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

const actor = (viewer: Viewer) => ({ id: viewer.id, label: viewer.email });

/** The viewer's extra emails, confirmed or waiting for an admin. */
export async function listOwnEmails(viewer: Viewer) {
  assertCan(viewer, "emails:link");
  return db.userEmail.findMany({ where: { userId: viewer.id }, orderBy: { createdAt: "asc" }, select: { id: true, email: true, confirmedAt: true, createdAt: true } });
}

/** Every user's extra emails, waiting ones first, for the admin who confirms them. */
export async function listLinkedEmails(viewer: Viewer) {
  assertCan(viewer, "users:manage");
  return db.userEmail.findMany({
    orderBy: [{ confirmedAt: { sort: "desc", nulls: "first" } }, { createdAt: "asc" }],
    select: { id: true, email: true, confirmedAt: true, createdAt: true, user: { select: { id: true, email: true, name: true } }, confirmedBy: { select: { email: true } } },
  });
}

/**
 * Links an extra email (one a user commits with) to the viewer's account. It counts for
 * matching commits only once an admin confirms it (decision 014).
 */
export async function linkEmail(opts: { viewer: Viewer; email: unknown }) {
  assertCan(opts.viewer, "emails:link");
  const email = emailSchema.parse(opts.email);
  return db.$transaction(async (tx) => {
    const owner = await tx.user.findFirst({ where: { email: { equals: email, mode: "insensitive" } }, select: { id: true } });
    if (owner) throw new AppError("conflict", owner.id === opts.viewer.id ? "This is your account's email already." : "This email belongs to another account.");
    if (await tx.userEmail.findFirst({ where: { email, OR: [{ userId: opts.viewer.id }, { confirmedAt: { not: null } }] } })) {
      throw new AppError("conflict", "This email is linked already.");
    }
    const linked = await tx.userEmail.create({ data: { email, userId: opts.viewer.id }, select: { id: true, email: true, confirmedAt: true } });
    await appendAuditEvent({ tx, actor: actor(opts.viewer), action: "user.email_linked", subject: `user:${opts.viewer.id}`, payload: { email } });
    return linked;
  });
}

/** Removes one of the viewer's extra emails (admins: anyone's); someone else's is "not found". */
export async function unlinkEmail(opts: { viewer: Viewer; id: unknown }) {
  assertCan(opts.viewer, "emails:link");
  const id = idSchema.safeParse(opts.id);
  if (!id.success) throw new AppError("not_found", "Email not found");
  const admin = opts.viewer.role === "admin";
  await db.$transaction(async (tx) => {
    const row = await tx.userEmail.findFirst({ where: { id: id.data, ...(admin ? {} : { userId: opts.viewer.id }) } });
    if (!row) throw new AppError("not_found", "Email not found");
    await tx.userEmail.delete({ where: { id: row.id } });
    await appendAuditEvent({ tx, actor: actor(opts.viewer), action: "user.email_unlinked", subject: `user:${row.userId}`, payload: { email: row.email } });
  });
}

/**
 * An admin confirms that an extra email is the user's: from then on commits claiming it
 * name that user (who then may not approve them). One confirmed owner per address.
 */
export async function confirmEmail(opts: { viewer: Viewer; id: unknown }) {
  assertCan(opts.viewer, "users:manage");
  const id = idSchema.safeParse(opts.id);
  if (!id.success) throw new AppError("not_found", "Email not found");
  return db.$transaction(async (tx) => {
    const row = await tx.userEmail.findUnique({ where: { id: id.data } });
    if (!row) throw new AppError("not_found", "Email not found");
    if (row.confirmedAt) return row;
    // Row locks order concurrent confirmations of one address; the partial unique index is the backstop.
    await tx.$queryRaw`SELECT 1 FROM "UserEmail" WHERE email = ${row.email} FOR UPDATE`;
    if (await tx.userEmail.findFirst({ where: { email: row.email, confirmedAt: { not: null } } })) {
      throw new AppError("conflict", "This email is confirmed for another account already.");
    }
    if (await tx.user.findFirst({ where: { email: { equals: row.email, mode: "insensitive" }, NOT: { id: row.userId } } })) {
      throw new AppError("conflict", "This email belongs to another account.");
    }
    const confirmed = await tx.userEmail.update({ where: { id: row.id }, data: { confirmedAt: new Date(), confirmedById: opts.viewer.id } });
    await appendAuditEvent({ tx, actor: actor(opts.viewer), action: "user.email_confirmed", subject: `user:${row.userId}`, payload: { email: row.email } });
    return confirmed;
  });
}

import { z } from "zod";
import type { RunResult } from "@/lib/audit";
import { assertCan, type Viewer } from "@/lib/auth/permissions";
import { db, type Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { text } from "@/lib/schema";

// Git writes whatever email a committer configured; matching is case-insensitive, so addresses are kept lowercased.
const emailSchema = text().trim().toLowerCase().email("Enter an email address.").max(320);
const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** The viewer's extra emails, confirmed or waiting for an admin. */
export async function listOwnEmails(viewer: Viewer) {
  assertCan(viewer, "emails:link");
  return db.userEmail.findMany({
    where: { userId: viewer.id },
    orderBy: { createdAt: "asc" },
    select: { id: true, email: true, confirmedAt: true, createdAt: true },
  });
}

/** Every user's extra emails, waiting ones first, for the admin who confirms them. */
export async function listLinkedEmails(viewer: Viewer) {
  assertCan(viewer, "users:manage");
  return db.userEmail.findMany({
    orderBy: [{ confirmedAt: { sort: "desc", nulls: "first" } }, { createdAt: "asc" }],
    select: {
      id: true,
      email: true,
      confirmedAt: true,
      createdAt: true,
      user: { select: { id: true, email: true, name: true } },
      confirmedBy: { select: { email: true } },
    },
  });
}

export const linkEmailInput = z.object({ email: emailSchema }).strict();
// Any string: an id that cannot be one (the database makes cuids) names no email, so it is "not found".
export const emailIdInput = z.object({ id: z.string().max(1000) }).strict();
export const linkedEmail = z.object({ id: z.string(), email: z.string(), confirmedAt: z.date().nullable() });
type Tx = Prisma.TransactionClient;

/**
 * Links an extra email (one a user commits with) to the viewer's account. It counts for
 * matching commits only once an admin confirms it (decision 014).
 */
export async function linkEmail(tx: Tx, viewer: Viewer, input: z.output<typeof linkEmailInput>): Promise<RunResult<z.infer<typeof linkedEmail>>> {
  const { email } = input;
  const owner = await tx.user.findFirst({ where: { email: { equals: email, mode: "insensitive" } }, select: { id: true } });
  if (owner) throw new AppError("conflict", owner.id === viewer.id ? "This is your account's email already." : "This email belongs to another account.");
  if (await tx.userEmail.findFirst({ where: { email, OR: [{ userId: viewer.id }, { confirmedAt: { not: null } }] } })) {
    throw new AppError("conflict", "This email is linked already.");
  }
  const linked = await tx.userEmail.create({ data: { email, userId: viewer.id }, select: { id: true, email: true, confirmedAt: true } });
  return { result: linked, audit: { action: "user.email_linked", subject: `user:${viewer.id}`, payload: { email } } };
}

/** Removes one of the viewer's extra emails (admins: anyone's); someone else's is "not found". */
export async function unlinkEmail(tx: Tx, viewer: Viewer, input: z.output<typeof emailIdInput>): Promise<RunResult<z.infer<typeof linkedEmail>>> {
  const id = idSchema.safeParse(input.id);
  const admin = viewer.role === "admin";
  const row = id.success ? await tx.userEmail.findFirst({ where: { id: id.data, ...(admin ? {} : { userId: viewer.id }) } }) : null;
  if (!row) throw new AppError("not_found", "Email not found");
  await tx.userEmail.delete({ where: { id: row.id } });
  return {
    result: { id: row.id, email: row.email, confirmedAt: row.confirmedAt },
    audit: { action: "user.email_unlinked", subject: `user:${row.userId}`, payload: { email: row.email } },
  };
}

/**
 * An admin confirms that an extra email is the user's: from then on commits claiming it
 * name that user (who then may not approve them). One confirmed owner per address.
 */
export async function confirmEmail(tx: Tx, viewer: Viewer, input: z.output<typeof emailIdInput>): Promise<RunResult<z.infer<typeof linkedEmail>>> {
  const id = idSchema.safeParse(input.id);
  const row = id.success ? await tx.userEmail.findUnique({ where: { id: id.data } }) : null;
  if (!row) throw new AppError("not_found", "Email not found");
  const view = (r: typeof row) => ({ id: r.id, email: r.email, confirmedAt: r.confirmedAt });
  if (row.confirmedAt) return { result: view(row) };
  // Row locks order concurrent confirmations of one address; the partial unique index is the backstop.
  await tx.$queryRaw`SELECT 1 FROM "UserEmail" WHERE email = ${row.email} FOR UPDATE`;
  if (await tx.userEmail.findFirst({ where: { email: row.email, confirmedAt: { not: null } } })) {
    throw new AppError("conflict", "This email is confirmed for another account already.");
  }
  if (await tx.user.findFirst({ where: { email: { equals: row.email, mode: "insensitive" }, NOT: { id: row.userId } } })) {
    throw new AppError("conflict", "This email belongs to another account.");
  }
  const confirmed = await tx.userEmail.update({ where: { id: row.id }, data: { confirmedAt: new Date(), confirmedById: viewer.id } });
  return { result: view(confirmed), audit: { action: "user.email_confirmed", subject: `user:${row.userId}`, payload: { email: row.email } } };
}

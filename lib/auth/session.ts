import { getServerSession } from "next-auth";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { authOptions } from "./options";
import { can, type Permission } from "./permissions";

export type CurrentUser = { id: string; email: string; name: string; role: import("@/lib/db").Role };

/** The signed-in user, read fresh from the database (so role changes apply at once). */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await getServerSession(authOptions);
  const id = (session?.user as { id?: string } | undefined)?.id;
  if (!id) return null;
  return db.user.findUnique({ where: { id }, select: { id: true, email: true, name: true, role: true } });
});

/** For pages: the user, or a redirect to sign-in. */
export async function requireUser(permission: Permission = "specs:read"): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/signin");
  // A page the user may not see does not exist for them.
  if (!can(user.role, permission)) notFound();
  return user;
}

/** For route handlers and server actions: the user, or an AppError (401/403). */
export async function authorize(permission: Permission): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError("unauthenticated", "Sign in first.");
  if (!can(user.role, permission)) throw new AppError("forbidden", `Your role (${user.role}) may not do this.`);
  return user;
}

import type { Role } from "@/lib/db";
import { AppError } from "@/lib/errors";

/** What each role may do: the one table every check reads. */
export const PERMISSIONS = {
  "specs:read": ["admin", "maintainer", "reviewer", "viewer"],
  "repositories:read": ["admin", "maintainer", "reviewer", "viewer"],
  "repositories:write": ["admin", "maintainer"],
  "imports:run": ["admin", "maintainer"],
  "reviews:read": ["admin", "maintainer", "reviewer", "viewer"],
  "reviews:propose": ["admin", "maintainer", "reviewer"],
  "reviews:decide": ["admin", "maintainer", "reviewer"],
  "reviews:override": ["admin"],
  "policies:manage": ["admin"],
  "audit:read": ["admin"],
  "teams:manage": ["admin"],
  "users:manage": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** Data functions take the viewer and check it themselves, whoever called them. */
export function assertCan(viewer: { role: Role }, permission: Permission): void {
  if (!can(viewer.role, permission)) {
    throw new AppError("forbidden", `Your role (${viewer.role}) may not do this.`);
  }
}

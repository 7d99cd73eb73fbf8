import type { Role } from "@/lib/db";
import { AppError } from "@/lib/errors";

/** What each role may do: the one table every check reads. */
export const PERMISSIONS = {
  "specs:read": ["admin", "maintainer", "reviewer", "viewer"],
  "repositories:read": ["admin", "maintainer", "reviewer", "viewer"],
  "repositories:write": ["admin", "maintainer"],
  // Deleting a repository that never imported anything (a typo'd source); archiving is repositories:write.
  "repositories:delete": ["admin"],
  "imports:run": ["admin", "maintainer"],
  "reviews:read": ["admin", "maintainer", "reviewer", "viewer"],
  "reviews:propose": ["admin", "maintainer", "reviewer"],
  "reviews:decide": ["admin", "maintainer", "reviewer"],
  "reviews:override": ["admin"],
  "policies:manage": ["admin"],
  "runs:read": ["admin", "maintainer", "reviewer", "viewer"],
  "runs:write": ["admin", "maintainer", "reviewer"],
  "deployments:read": ["admin", "maintainer", "reviewer", "viewer"],
  "deployments:write": ["admin", "maintainer"],
  // Dismissing a duplicate cluster or marking its canonical member, from any page or API.
  "duplicates:decide": ["admin", "maintainer"],
  // Break-glass: a waiver lets one version through the gate despite its reasons (decision 017).
  "gate:waive": ["admin"],
  "checks:write": ["admin", "maintainer", "reviewer"],
  "webhooks:manage": ["admin"],
  // Outbound notifications: admins for the workspace, maintainers for their own teams (checked in lib/notifications).
  "notifications:manage": ["admin", "maintainer"],
  // Replacing or removing a private repository's token or deploy key (decision 024).
  "credentials:manage": ["admin"],
  "tokens:manage": ["admin", "maintainer", "reviewer", "viewer"],
  "emails:link": ["admin", "maintainer", "reviewer", "viewer"],
  "audit:read": ["admin"],
  "teams:manage": ["admin"],
  "users:manage": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** API token scopes. A token may do what its scopes grant and its owner's role allows. */
export const TOKEN_SCOPES = ["specs:read", "specs:propose", "runs:write", "deployments:write", "checks:write", "repositories:sync", "admin"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** The scope each permission needs through a token; null: never through a token. */
export const SCOPE_FOR: Record<Permission, TokenScope | null> = {
  "specs:read": "specs:read",
  "repositories:read": "specs:read",
  "repositories:write": "admin",
  "repositories:delete": "admin",
  // A CI job on another forge triggers a sync with a token that can do nothing else.
  "imports:run": "repositories:sync",
  "reviews:read": "specs:read",
  "reviews:propose": "specs:propose",
  "reviews:decide": "admin",
  "reviews:override": "admin",
  "policies:manage": "admin",
  "runs:read": "specs:read",
  "runs:write": "runs:write",
  "deployments:read": "specs:read",
  "deployments:write": "deployments:write",
  "duplicates:decide": "admin",
  "gate:waive": "admin",
  // A pull-request gate's token: it runs checks and reads nothing.
  "checks:write": "checks:write",
  "webhooks:manage": "admin",
  "notifications:manage": "admin",
  "credentials:manage": "admin",
  "tokens:manage": null,
  "emails:link": null,
  "audit:read": "admin",
  "teams:manage": "admin",
  "users:manage": "admin",
};

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** Whether a token with `scopes` reaches `permission` (its owner's role is checked apart). */
export function scopeAllows(scopes: readonly string[], permission: Permission): boolean {
  const needed = SCOPE_FOR[permission];
  if (needed === null) return false;
  return scopes.includes(needed) || scopes.includes("admin");
}

/** What a permission check needs: a role, and a token's scopes when acting through one. */
export type Actor = { role: Role; scopes?: readonly string[] };

/** Who is acting: a signed-in user, or a token's owner with the token's scopes. The one Viewer type. */
export type Viewer = Actor & { id: string; email: string; tokenId?: string };

export function allows(viewer: Actor, permission: Permission): boolean {
  return can(viewer.role, permission) && (viewer.scopes === undefined || scopeAllows(viewer.scopes, permission));
}

/** Data functions take the viewer and check it themselves, whoever called them. */
export function assertCan(viewer: Actor, permission: Permission): void {
  if (!can(viewer.role, permission)) {
    throw new AppError("forbidden", `Your role (${viewer.role}) may not do this.`);
  }
  if (viewer.scopes !== undefined && !scopeAllows(viewer.scopes, permission)) {
    const needed = SCOPE_FOR[permission];
    throw new AppError("forbidden", needed ? `This token lacks the ${needed} scope.` : "This cannot be done with an API token; sign in.");
  }
}

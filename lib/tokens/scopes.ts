import { can, PERMISSIONS, SCOPE_FOR, TOKEN_SCOPES, type Permission, type TokenScope } from "@/lib/auth/permissions";
import type { Role } from "@/lib/db";

/** What each scope lets a token do, for the token form. */
export const SCOPE_LABELS: Record<TokenScope, string> = {
  "specs:read": "read specs, reviews, runs and deployments",
  "specs:propose": "propose changes",
  "runs:write": "report agent runs",
  "deployments:write": "record deployments",
  "checks:write": "run pull-request checks (specledger check), nothing else",
  "repositories:sync": "trigger a repository sync, nothing else",
  admin: "everything else your role allows (decide reviews, manage repositories…)",
};

/**
 * The scopes that give a token of this role something to do: a scope is usable when at least
 * one permission it is the scope for is one the role holds (a token never exceeds its owner's role).
 */
export function usableScopes(role: Role): TokenScope[] {
  const permissions = Object.keys(PERMISSIONS) as Permission[];
  return TOKEN_SCOPES.filter((scope) => permissions.some((p) => SCOPE_FOR[p] === scope && can(role, p)));
}

/** The exact CLI command that stores a token (lib/cli/commands/provenance.ts `login`), quoted for a POSIX shell. */
export function cliLoginCommand(server: string, token: string): string {
  return `npx specledger login --server ${shellQuote(server)} --token ${shellQuote(token)}`;
}

const shellQuote = (value: string) => (/^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`);

import path from "node:path";
import type { Viewer } from "@/lib/auth/permissions";

// Pure rules about where local repositories may be read from (errors per role: lib/git/error-text.ts),
// whether imports are queued, and who the machine's own viewer is.

/** SPECLEDGER_LOCAL_ROOTS: colon-separated folders under which local repositories may be added; null when unset. */
export function localRootsFromEnv(env: Record<string, string | undefined> = process.env): string[] | null {
  const roots = (env.SPECLEDGER_LOCAL_ROOTS ?? "")
    .split(":")
    .filter(Boolean)
    .map((r) => path.resolve(r));
  return roots.length > 0 ? roots : null;
}

/** Whether `realPath` is one of `realRoots` or inside one (both already free of symbolic links). */
export function isUnderRoots(realPath: string, realRoots: readonly string[]): boolean {
  return realRoots.some((root) => realPath === root || realPath.startsWith(root.endsWith(path.sep) ? root : root + path.sep));
}

export { SHORT_CAUSE, errorForRole } from "@/lib/git/error-text";

/** The CLI's and the demo's viewer: the machine's own user, recorded as "system". */
export const SYSTEM_VIEWER: Viewer = { id: "system", email: "system", role: "admin" };
export const requesterOf = (viewer: Viewer) => (viewer.id === SYSTEM_VIEWER.id ? null : viewer.id);

/**
 * Where local paths may be read from, and whether imports go to the queue. The server reads
 * SPECLEDGER_LOCAL_ROOTS; the CLI's in-process import and the demo seed run on the user's
 * own machine as that user, so they read any local path and run the import themselves.
 */
export interface RepositoryPolicy {
  localRoots: "env" | "any";
  /** Queue the import's job in the same transaction (the server); else the caller runs it now. */
  enqueue: boolean;
}

import path from "node:path";

// Pure rules about where local repositories may be read from (errors per role: lib/git/error-text.ts).

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

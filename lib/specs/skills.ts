// A skill's folder as its page shows it: the bundled files versioned beside SKILL.md, and the
// ones the import could not version (binary, too large) with the reason (decision 046).
import { assertCan } from "@/lib/auth/permissions";
import { db, type Role } from "@/lib/db";
import { bundledBySkill } from "./kinds";

/** How many bundled files a skill's page lists; a folder can hold thousands. */
export const BUNDLE_LIST_LIMIT = 200;

export interface SkillBundle {
  files: { id: string; path: string; size: number | null }[];
  /** Files of the folder that are not versioned, with why (binary, too large, not UTF-8). */
  skipped: { path: string; reason: string; detail: string; commitSha: string }[];
  /** Versioned bundled files in all (the list holds at most BUNDLE_LIST_LIMIT). */
  total: number;
}

/** Paths that belong to `skillPath` rather than to a skill nested inside its folder. Pure. */
export function ownFiles<T extends { path: string }>(skillPath: string, files: readonly T[], skills: ReadonlySet<string>): T[] {
  return files.filter((f) => bundledBySkill(f.path, (p) => skills.has(p)) === skillPath);
}

/** The bundled files of the skill whose SKILL.md is `spec`. */
export async function getSkillBundle(viewer: { role: Role }, spec: { repositoryId: string; path: string }): Promise<SkillBundle> {
  assertCan(viewer, "specs:read");
  const folder = spec.path.slice(0, spec.path.lastIndexOf("/") + 1);
  if (!folder) return { files: [], skipped: [], total: 0 };
  const prefix = `${folder.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const [candidates, nested, skippedRows] = await Promise.all([
    db.$queryRaw<{ id: string; path: string; size: number | null }[]>`
      SELECT s.id, s.path, c.size FROM "Spec" s LEFT JOIN "Content" c ON c.hash = s."currentHash"
      WHERE s."repositoryId" = ${spec.repositoryId} AND s.kind = 'skill-file' AND NOT s.deleted AND s.path LIKE ${prefix}
      ORDER BY s.path`,
    db.spec.findMany({ where: { repositoryId: spec.repositoryId, kind: "skill", deleted: false, path: { startsWith: folder } }, select: { path: true } }),
    db.$queryRaw<{ path: string; reason: string; detail: string; commitSha: string }[]>`
      SELECT DISTINCT ON (path) path, reason, detail, "commitSha" FROM "SkippedFile"
      WHERE "repositoryId" = ${spec.repositoryId} AND path LIKE ${prefix}
      ORDER BY path, "createdAt" DESC`,
  ]);
  const skills = new Set(nested.map((s) => s.path));
  const files = ownFiles(spec.path, candidates, skills);
  // A skipped file at a path that has a version since is shown as versioned, not skipped.
  const live = new Set(candidates.map((f) => f.path));
  const skipped = ownFiles(spec.path, skippedRows, skills).filter((s) => !live.has(s.path) && s.path !== spec.path);
  return { files: files.slice(0, BUNDLE_LIST_LIMIT), skipped: skipped.slice(0, BUNDLE_LIST_LIMIT), total: files.length };
}

import fs from "node:fs";
import path from "node:path";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { classifySource } from "@/lib/git/source";
import { gitDirFor, mirrorPath } from "@/lib/git/mirror";
import { readCommitSubjects } from "@/lib/git/subjects";

/**
 * The commit subject of each version's commit, read from the repository's git data on demand
 * (SpecVersion stores no message; decision 030). A URL repository is read only when this node
 * already has its mirror: a page never clones. Unreadable git data gives an empty map, and the
 * history then shows no subjects rather than failing.
 */
export async function commitSubjects(viewer: Actor, repositoryId: string, shas: string[]): Promise<Map<string, string>> {
  assertCan(viewer, "specs:read");
  if (shas.length === 0) return new Map();
  const repository = await db.repository.findUnique({ where: { id: repositoryId }, select: { id: true, source: true, credential: true } });
  if (!repository) return new Map();
  try {
    if (classifySource(repository.source) !== "path" && !fs.existsSync(path.join(mirrorPath(repository.id), "HEAD"))) return new Map();
    return await readCommitSubjects({ gitDir: await gitDirFor(repository), shas });
  } catch (error) {
    console.warn("[history] commit subjects unavailable:", (error as Error).message);
    return new Map();
  }
}

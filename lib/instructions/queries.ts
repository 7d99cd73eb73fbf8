// Effective instructions for a repository at its imported head: the I/O around resolve.ts.
import { z } from "zod";
import { assertCan, type Viewer } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { git } from "@/lib/git/git";
import { gitDirFor } from "@/lib/git/mirror";
import { isAgentId, AGENT_IDS } from "./agents";
import { preparedCache } from "./prepared-cache";
import {
  normaliseDirectory,
  prepareRepository,
  resolveEffectiveInstructions,
  type EffectiveInstructions,
  type PreparedRepository,
  type TreeFile,
} from "./resolve";

export interface EffectiveInstructionsQuery {
  repositoryId: string;
  agent: string;
  path: string;
}

/** The query string: the agent's id and a repository-relative directory ("" or absent is the root). */
export const effectiveInstructionsQuerySchema = z.object({
  agent: z
    .string()
    .min(1)
    .max(100)
    .describe(`One of ${AGENT_IDS.join(", ")}`),
  path: z.string().max(1024).default("").describe("A directory of the repository, e.g. services/billing"),
});

/** Parses `git ls-tree -r -l -z` output: "<mode> <type> <oid> <size>\t<path>\0". Submodules and links have no size. */
export function parseTree(output: string): TreeFile[] {
  const files: TreeFile[] = [];
  for (const record of output.split("\0")) {
    const tab = record.indexOf("\t");
    if (tab < 0) continue;
    const [, type, , size] = record.slice(0, tab).split(/\s+/);
    if (type !== "blob") continue;
    files.push({ path: record.slice(tab + 1), size: /^\d+$/.test(size) ? Number(size) : null });
  }
  return files;
}

type HeadRepository = { id: string; source: string; credential: string | null; headCommit: string };

// One prepared repository per head commit: the tree and front matter are read once, not per question.
// 64 MiB of texts and paths at most, least recently asked about evicted first (decision 035).
const prepared = preparedCache({ maxBytes: 64 * 1024 * 1024 });

async function loadPrepared(repository: HeadRepository): Promise<PreparedRepository> {
  const gitDir = await gitDirFor(repository);
  const tree = parseTree(await git([`--git-dir=${gitDir}`, "ls-tree", "-r", "-l", "-z", repository.headCommit], { timeoutMs: 60_000 }));
  const files = await db.$queryRaw<Array<{ path: string; kind: string; text: string }>>`
    SELECT s.path, s.kind, c.text FROM "Spec" s JOIN "Content" c ON c.hash = s."currentHash"
    WHERE s."repositoryId" = ${repository.id} AND NOT s.deleted`;
  return prepareRepository(files, tree);
}

const preparedFor = (repository: HeadRepository) => prepared.get(`${repository.id}:${repository.headCommit}`, () => loadPrepared(repository));

/** What `agent` loads in `path` of the repository; unknown agents and unsafe paths are refused, a missing repository or directory is 404. */
export async function getEffectiveInstructions(viewer: Viewer, query: EffectiveInstructionsQuery): Promise<EffectiveInstructions & { headCommit: string }> {
  assertCan(viewer, "repositories:read");
  if (!isAgentId(query.agent)) throw new AppError("bad_request", `Unknown agent "${query.agent.slice(0, 40)}": choose one of ${AGENT_IDS.join(", ")}.`);
  const directory = normaliseDirectory(query.path);
  const repository = await db.repository.findUnique({
    where: { id: query.repositoryId },
    select: { id: true, source: true, credential: true, headCommit: true },
  });
  if (!repository) throw new AppError("not_found", "Repository not found");
  if (!repository.headCommit) throw new AppError("not_found", "The repository has not been imported yet.");
  const prepared = await preparedFor({ ...repository, headCommit: repository.headCommit });
  const result = resolveEffectiveInstructions({ agent: query.agent, directory, files: [], prepared });
  return { ...result, headCommit: repository.headCommit };
}

/** Directories worth asking about: the root and every folder on the way to a governed file, sorted. */
export async function listInstructionDirectories(viewer: Viewer, repositoryId: string): Promise<string[]> {
  assertCan(viewer, "repositories:read");
  const specs = await db.spec.findMany({ where: { repositoryId, deleted: false }, select: { path: true } });
  const dirs = new Set<string>([""]);
  for (const { path } of specs) {
    const parts = path.split("/").slice(0, -1);
    // Folders that belong to a tool (.github, .cursor/rules) are not where agents work.
    for (let i = 1; i <= parts.length && !parts[i - 1].startsWith("."); i++) dirs.add(parts.slice(0, i).join("/"));
  }
  return [...dirs].sort();
}

// Reads git: the head commit's tree of this repository, and of others a line names.
import { db } from "@/lib/db";
import { gitignoresAt } from "@/lib/git/ignores";
import { gitDirFor } from "@/lib/git/mirror";
import { brokenReferences, referenceExists, type PathReference } from "../references";
import { silencedByRepo } from "../suppress";
import { base, headTreeOf, readTree, type FindingDraft, type RepoContext } from "./context";

const TEXT_FILE = /\.(?:md|mdc|markdown|txt)$|(?:^|\/)\.(?:cursorrules|windsurfrules)$/;

/** broken references: a spec or agent file names a path that is not in the head commit. */
export async function checkReferences(ctx: RepoContext): Promise<FindingDraft[]> {
  const candidates = ctx.files.filter(
    // A skill's bundled references describe the projects the skill works on, not this repository.
    (f) => !f.isSymlink && f.kind !== "skill-file" && TEXT_FILE.test(f.path) && !(ctx.repoConfig && silencedByRepo(ctx.repoConfig, "broken-reference", f.path)),
  );
  if (candidates.length === 0) return [];
  const head = await headTreeOf(ctx);
  const tree = head.paths;
  // Generated and local folders (dist/, .env.test) are named on purpose and never committed.
  const gitignores = await gitignoresAt(ctx.gitDir, head.gitignoreIds);
  // "copied from payments-service `specs/x.md`": a line naming another imported repository
  // refers to that repository's tree.
  const others = await db.repository.findMany({
    where: { id: { not: ctx.repositoryId }, headCommit: { not: null } },
    select: { id: true, name: true, source: true, credential: true, headCommit: true },
  });
  const otherTrees = new Map<string, Promise<Set<string>>>();
  const treeOf = (repo: (typeof others)[number]) => {
    if (!otherTrees.has(repo.name))
      otherTrees.set(
        repo.name,
        gitDirFor(repo)
          .then(async (gitDir) => (await readTree(gitDir, repo.headCommit!)).paths)
          .catch(() => new Set<string>()),
      );
    return otherTrees.get(repo.name)!;
  };
  const existsElsewhere = async (ref: PathReference, lineText: string) => {
    for (const repo of others) {
      if (
        new RegExp(`(?:^|[^\\w-])${repo.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:$|[^\\w-])`).test(lineText) &&
        referenceExists(ref, await treeOf(repo), ref.path)
      )
        return true;
    }
    return false;
  };
  const drafts: FindingDraft[] = [];
  for (const file of candidates) {
    const lines = file.text.split(/\r?\n/);
    // Inline `<!-- specledger-disable... -->` comments are applied by brokenReferences itself.
    for (const { ref, reason } of brokenReferences({ filePath: file.path, text: file.text, tree, gitignores }).broken) {
      if (await existsElsewhere(ref, lines[ref.line - 1] ?? "")) continue;
      drafts.push({
        ...base(ctx, file),
        fingerprint: `broken-reference:${file.id}:${ref.path}`,
        type: "broken-reference",
        rule: "broken-reference",
        severity: "warning",
        line: ref.line,
        message: `${file.path} names ${ref.written}, which does not exist at the head commit.`,
        suggestion: `Point it at the path that replaced ${ref.path}, or remove the reference.`,
        evidence: { path: file.path, reference: ref.written, resolved: ref.path, via: ref.via, line: ref.line, head: ctx.head, reason },
        introducedAt: file.committedAt,
      });
    }
  }
  return drafts;
}

// Effective instructions as findings (decision 035): for each agent and each folder that holds an
// agent file, what the agent loads there; its limit cutting text, imports that do not resolve, and
// files that load together yet contradict each other. Info severity, and off by default.
import path from "node:path/posix";
import { AGENT_IDS, AGENTS } from "@/lib/instructions/agents";
import { prepareRepository, resolveEffectiveInstructions, type ProblemCode } from "@/lib/instructions/resolve";
import { compareInstructionFiles } from "../competing";
import { base, digest, headTreeOf, type FindingDraft, type LiveFile, type RepoContext } from "./context";

const MAX_DIRECTORIES = 20;
const REPORTED: ReadonlySet<ProblemCode> = new Set([
  "over-budget",
  "truncated",
  "dropped",
  "import-missing",
  "import-cycle",
  "import-outside",
  "import-too-deep",
]);

/** Folders agents are asked about: the root and each folder holding an agent file (outside tool folders). */
export function directoriesOf(files: readonly { path: string; kind: string }[]): string[] {
  const dirs = new Set([""]);
  for (const f of files) {
    if (f.kind !== "agent" && f.kind !== "steering") continue;
    const dir = path.dirname(f.path);
    if (dir !== "." && !dir.split("/").some((s) => s.startsWith("."))) dirs.add(dir);
  }
  return [...dirs].sort();
}

export async function checkEffective(ctx: RepoContext): Promise<FindingDraft[]> {
  const live = ctx.files.filter((f) => !f.isSymlink);
  const byPath = new Map(live.map((f) => [f.path, f]));
  // Paths without sizes (`-l` looks up every blob: seconds on a 100,000-file tree, now that the check is on by default).
  // The findings need the paths (globs, missing imports); sizes count only for files not governed, which only an import
  // reaches, and no agent that imports has a byte budget (lib/instructions/agents.ts).
  const tree = (await headTreeOf(ctx)).blobs;
  const prepared = prepareRepository(
    live.map((f) => ({ path: f.path, kind: f.kind, text: f.text })),
    tree,
  );
  const found = new Map<string, { draft: FindingDraft; directories: string[] }>();
  const add = (key: string, directory: string, make: () => FindingDraft | null) => {
    const hit = found.get(key);
    if (hit) {
      if (hit.directories.length < MAX_DIRECTORIES) hit.directories.push(directory);
      return;
    }
    const draft = make();
    if (draft) found.set(key, { draft, directories: [directory] });
  };
  const compared = new Map<string, ReturnType<typeof compareInstructionFiles>>();
  for (const agent of AGENT_IDS) {
    for (const directory of directoriesOf(live)) {
      let answer;
      try {
        answer = resolveEffectiveInstructions({ agent, directory, files: [], prepared });
      } catch {
        continue; // a folder that is no longer in the tree at the head
      }
      for (const p of answer.problems) {
        if (!REPORTED.has(p.code)) continue;
        const file = byPath.get(p.path);
        if (!file) continue;
        // A cut at the same line of the same file is one problem wherever it is asked about (the folders are listed);
        // a total over budget depends on what loads in that folder.
        const scoped = p.code === "over-budget";
        add(`${agent}:${p.code}:${p.path}:${p.line ?? ""}:${scoped ? directory : ""}`, directory, () =>
          draft(ctx, file, agent, p.code, p.line, p.message, directory, {}),
        );
      }
      // Files that load together and contradict each other; same-folder and nested AGENTS.md pairs are the competing check's.
      const loaded = answer.entries
        .filter((e) => e.status !== "unreadable" && e.status !== "dropped")
        .map((e) => byPath.get(e.path))
        .filter((f): f is LiveFile => !!f);
      for (let i = 0; i < loaded.length; i++) {
        for (let j = i + 1; j < loaded.length; j++) {
          const [a, b] = [loaded[i], loaded[j]];
          if (a.currentHash === b.currentHash || coveredByCompeting(a.path, b.path)) continue;
          const pairKey = `${a.id}:${b.id}`;
          let result = compared.get(pairKey);
          if (!result) {
            result = compareInstructionFiles({ path: a.path, text: a.text }, { path: b.path, text: b.text });
            compared.set(pairKey, result);
          }
          if (result.conflicts.length === 0) continue;
          const conflicts = result.conflicts;
          add(`${agent}:contradiction:${pairKey}`, directory, () =>
            draft(
              ctx,
              b,
              agent,
              "contradiction",
              conflicts[0].b.line,
              `${AGENTS[agent].name} loads ${a.path} and ${b.path} together, and they disagree on ${conflicts
                .slice(0, 3)
                .map((c) => c.topic)
                .join("; ")}.`,
              directory,
              { other: { specId: a.id, path: a.path }, conflicts: conflicts.map((c) => ({ topic: c.topic, a: c.a, b: c.b })) },
            ),
          );
        }
      }
    }
  }
  return [...found.values()].map(({ draft: d, directories }) => {
    const evidence = d.evidence as { directories: string[] };
    evidence.directories = directories;
    return d;
  });
}

const AGENT_FILE = /(?:^|\/)(?:AGENTS|CLAUDE|GEMINI)\.md$/;
function coveredByCompeting(a: string, b: string): boolean {
  return AGENT_FILE.test(a) && AGENT_FILE.test(b);
}

function draft(
  ctx: RepoContext,
  file: LiveFile,
  agent: (typeof AGENT_IDS)[number],
  code: string,
  line: number | null,
  message: string,
  directory: string,
  extra: {
    other?: { specId: string; path: string };
    conflicts?: Array<{ topic: string; a: { text: string; line: number }; b: { text: string; line: number } }>;
  },
): FindingDraft {
  const where = directory === "" ? "the root" : `${directory}/`;
  return {
    ...base(ctx, file),
    fingerprint: `effective-instructions:${agent}:${code}:${file.id}:${line ?? ""}:${digest(file.currentHash + (extra.other?.path ?? "") + directory)}`,
    type: "effective-instructions",
    rule: code,
    severity: "info",
    line,
    message: `${message} (${AGENTS[agent].name} in ${where})`,
    suggestion:
      code === "contradiction"
        ? "Make the files agree, or scope one of them so they no longer load together."
        : code.startsWith("import")
          ? "Point the import at a file inside the repository, or remove it."
          : `Shorten the files ${AGENTS[agent].name} loads here, or move what only some folders need into scoped files.`,
    evidence: { agent, directories: [directory], code, path: file.path, line, ...extra },
    introducedAt: file.committedAt,
  };
}

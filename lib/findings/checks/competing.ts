import path from "node:path/posix";
import { findImports } from "@/lib/instructions/imports";
import { plural } from "@/lib/text";
import { compareInstructionFiles } from "../competing";
import { base, digest, type FindingDraft, type RepoContext } from "./context";

/** Agent files that apply to the same folder: side by side, or a nested AGENTS.md under a parent one. */
export function competingPairs<T extends { path: string }>(files: T[]): [T, T][] {
  const pairs: [T, T][] = [];
  const dirOf = (p: string) => (path.dirname(p) === "." ? "" : path.dirname(p));
  const byDir = new Map<string, T[]>();
  for (const f of files) {
    if (!/(?:^|\/)(?:AGENTS|CLAUDE|GEMINI)\.md$/.test(f.path)) continue;
    byDir.set(dirOf(f.path), [...(byDir.get(dirOf(f.path)) ?? []), f]);
  }
  for (const group of byDir.values()) {
    const sorted = [...group].sort((a, b) => a.path.localeCompare(b.path));
    for (let i = 0; i < sorted.length; i++) for (let j = i + 1; j < sorted.length; j++) pairs.push([sorted[i], sorted[j]]);
  }
  // A nested AGENTS.md overrides its nearest ancestor's.
  const agents = new Map([...byDir].flatMap(([dir, group]) => group.filter((f) => f.path.endsWith("AGENTS.md")).map((f) => [dir, f] as const)));
  for (const [dir, file] of agents) {
    if (dir === "") continue;
    for (let up = dirOf(dir); ; up = dirOf(up)) {
      const parent = agents.get(up);
      if (parent) {
        pairs.push([parent, file]);
        break;
      }
      if (up === "") break;
    }
  }
  return pairs;
}

/** Whether `from` imports `to` with an `@path` line (CLAUDE.md's "@AGENTS.md"): the agent reading it reads both. */
export function importsFile(from: { path: string; text: string }, to: { path: string }): boolean {
  const dir = path.dirname(from.path);
  return findImports(from.text).some((ref) => !ref.target.startsWith("~") && path.join(dir, ref.target) === to.path);
}

/** competing instructions: two agent files for the same folder disagree. */
export function checkCompeting(ctx: RepoContext): FindingDraft[] {
  const agents = ctx.files.filter((f) => f.kind === "agent" && !f.isSymlink);
  const drafts: FindingDraft[] = [];
  for (const [a, b] of competingPairs(agents)) {
    if (a.currentHash === b.currentHash) continue;
    const result = compareInstructionFiles({ path: a.path, text: a.text }, { path: b.path, text: b.text });
    const nested = path.dirname(a.path) !== path.dirname(b.path);
    // A nested file exists to add what its folder needs, and a file that imports the other
    // ("@AGENTS.md" in CLAUDE.md) is read together with it: only a contradiction is a finding.
    const composed = importsFile(a, b) || importsFile(b, a);
    if (!result.disagree || ((nested || composed) && result.conflicts.length === 0)) continue;
    drafts.push({
      ...base(ctx, b),
      fingerprint: `competing-instructions:${a.id}:${b.id}:${digest(a.currentHash + b.currentHash)}`,
      type: "competing-instructions",
      rule: nested ? "nested-override" : "side-by-side",
      severity: result.conflicts.length > 0 ? "warning" : "info",
      line: result.conflicts[0]?.b.line ?? null,
      message:
        result.conflicts.length > 0
          ? `${a.path} and ${b.path} disagree on ${plural(result.conflicts.length, "instruction")}: ${result.conflicts
              .slice(0, 3)
              .map((c) => c.topic)
              .join("; ")}${result.conflicts.length > 3 ? "; …" : ""}.`
          : `${a.path} and ${b.path} each say things the other does not (${result.onlyInA.length} and ${result.onlyInB.length} instructions).`,
      suggestion: nested
        ? `Make ${b.path} state only what differs for its folder, and agree with ${a.path} on the rest.`
        : `Keep one source of truth: make ${b.path} a symlink to ${a.path} (or import it), and move what differs into it.`,
      evidence: {
        a: { specId: a.id, path: a.path },
        b: { specId: b.id, path: b.path },
        conflicts: result.conflicts.map((c) => ({ topic: c.topic, a: c.a, b: c.b })),
        onlyInA: result.onlyInA,
        onlyInB: result.onlyInB,
      },
      introducedAt: a.committedAt > b.committedAt ? a.committedAt : b.committedAt,
    });
  }
  return drafts;
}

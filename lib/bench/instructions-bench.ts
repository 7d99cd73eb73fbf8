// `npm run bench -- instructions`: how long the effective-instructions resolver takes for one
// directory of a repository with 200 instruction files (issue 14: under 50 ms), against a
// brute-force baseline measured in the same run on the same data: read every instruction file,
// parse its front matter and test every glob against every file of the repository, with no
// discovery order, no pruning and no compiled-glob cache. Pure: no database.
import { performance } from "node:perf_hooks";
import picomatch from "picomatch";
import { AGENT_IDS } from "@/lib/instructions/agents";
import {
  patternsOf,
  prepareRepository,
  readFrontmatter,
  resolveEffectiveInstructions,
  type InstructionSource,
  type TreeFile,
} from "@/lib/instructions/resolve";

export const TARGET_MS = 50;

/** A monorepo: 40 services of 5 folders, 200 instruction files of every agent's kind, 20,000 source files. */
export function syntheticRepository(): { files: InstructionSource[]; tree: TreeFile[]; directories: string[] } {
  const files: InstructionSource[] = [];
  const tree: TreeFile[] = [];
  const directories: string[] = [];
  const body = (title: string, kb: number) =>
    `# ${title}\n\n` + Array.from({ length: kb * 16 }, (_, i) => `- Rule ${i}: use pnpm and run the tests.`).join("\n");
  const add = (path: string, text: string, kind = "agent") => files.push({ path, kind, text });
  add("AGENTS.md", body("Root", 20));
  add("CLAUDE.md", "@AGENTS.md\n@docs/style.md\n" + body("Claude", 4));
  add("docs/style.md", "@docs/tone.md\n" + body("Style", 2), "spec");
  add("docs/tone.md", body("Tone", 1), "spec");
  add("GEMINI.md", "@./AGENTS.md\n" + body("Gemini", 2));
  add(".github/copilot-instructions.md", body("Copilot", 3));
  add(".junie/guidelines.md", body("Junie", 2));
  add(".windsurfrules", body("Windsurf", 5));
  for (let s = 0; s < 40 && files.length < 200; s++) {
    const svc = `services/svc-${s}`;
    add(`${svc}/AGENTS.md`, body(`Service ${s}`, 6));
    add(`.github/instructions/svc-${s}.instructions.md`, `---\napplyTo: "${svc}/**/*.ts"\n---\n` + body(`Copilot ${s}`, 1));
    add(`.cursor/rules/svc-${s}.mdc`, `---\nglobs: "${svc}/**"\nalwaysApply: false\n---\n` + body(`Cursor ${s}`, 1));
    add(`.kiro/steering/svc-${s}.md`, `---\ninclusion: fileMatch\nfileMatchPattern: "${svc}/**"\n---\n` + body(`Kiro ${s}`, 1), "steering");
    if (s < 12) add(`${svc}/src/AGENTS.md`, body(`Sources ${s}`, 1));
    if (s % 2 === 0) add(`${svc}/CLAUDE.md`, "@../../docs/style.md\n" + body(`Claude ${s}`, 2));
    for (let d = 0; d < 5; d++) {
      const dir = `${svc}/src/module-${d}`;
      directories.push(dir);
      for (let f = 0; f < 100; f++) tree.push({ path: `${dir}/file-${f}.${f % 2 ? "ts" : "py"}`, size: 2000 });
    }
  }
  for (const f of files) tree.push({ path: f.path, size: Buffer.byteLength(f.text) });
  return { files: files.slice(0, 200), tree, directories };
}

/** The baseline: everything a resolver could look at, done exhaustively. */
function bruteForce(files: InstructionSource[], tree: TreeFile[], directory: string): number {
  let matches = 0;
  const inside = tree.filter((t) => t.path.startsWith(`${directory}/`));
  for (const f of files) {
    Buffer.byteLength(f.text);
    const { data } = readFrontmatter(f.text);
    for (const field of ["applyTo", "globs", "paths", "fileMatchPattern"]) {
      for (const pattern of patternsOf(data[field]) ?? []) {
        const test = picomatch(pattern, { dot: true });
        for (const t of inside) if (test(t.path)) matches++;
      }
    }
  }
  return matches;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

export function instructionsBenchReport(rounds = 3): { lines: string[]; failing: boolean } {
  const { files, tree, directories } = syntheticRepository();
  const p0 = performance.now();
  const prepared = prepareRepository(files, tree);
  const prepareMs = performance.now() - p0;
  const ours: number[] = [];
  const base: number[] = [];
  // Warm both paths once so neither pays for module loading.
  resolveEffectiveInstructions({ agent: "codex", directory: directories[0], files, tree });
  bruteForce(files, tree, directories[0]);
  for (let round = 0; round < rounds; round++) {
    for (const directory of directories.filter((_, i) => i % 10 === round % 10)) {
      for (const agent of AGENT_IDS) {
        const t0 = performance.now();
        resolveEffectiveInstructions({ agent, directory, files, tree, prepared });
        ours.push(performance.now() - t0);
      }
      const t1 = performance.now();
      bruteForce(files, tree, directory);
      base.push(performance.now() - t1);
    }
  }
  ours.sort((a, b) => a - b);
  base.sort((a, b) => a - b);
  const p95 = percentile(ours, 0.95);
  const median = percentile(ours, 0.5);
  const baseMedian = percentile(base, 0.5);
  return {
    lines: [
      "Effective instructions",
      `  repository: ${files.length} instruction files, ${tree.length.toLocaleString("en")} files; ${ours.length} answers (every agent, ${ours.length / AGENT_IDS.length} directories)`,
      `  resolver: median ${median.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, max ${ours[ours.length - 1].toFixed(2)} ms (target p95 < ${TARGET_MS} ms)`,
      `  reading the repository once per commit (prepareRepository, reused by every answer): ${prepareMs.toFixed(2)} ms`,
      `  brute-force baseline (every file, every glob, every path of the directory): median ${baseMedian.toFixed(2)} ms`,
      `  ratio, resolver median to baseline median: ${(median / baseMedian).toFixed(3)}`,
    ],
    failing: p95 >= TARGET_MS,
  };
}

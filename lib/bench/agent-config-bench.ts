// `npm run bench -- agent-config`: the kind coverage on ten public trees (found vs hand count, issue 18)
// and the time the agent-config lint rules take on a repository with 500 agent files.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { gunzipSync } from "node:zlib";
import { db } from "@/lib/db";
import { lintFile } from "@/lib/findings/lint";
import { lintFolder } from "@/lib/cli/commands/lint";
import { importRepository } from "@/lib/repositories/import";
import { AGENT_KINDS, classifyPath, type SpecKind } from "@/lib/specs/kinds";

const TREES = path.join(process.cwd(), "lib", "specs", "fixtures", "trees");
const LABELLED = new Set<SpecKind>([...AGENT_KINDS, "steering", "constitution"]);

function coverage(log: (line: string) => void) {
  let hand = 0;
  let found = 0;
  let agree = 0;
  for (const file of readdirSync(TREES).filter((f) => f.endsWith(".txt.gz"))) {
    const name = file.replace(/\.txt\.gz$/, "");
    const paths = gunzipSync(readFileSync(path.join(TREES, file)))
      .toString("utf8")
      .split("\n")
      .filter(Boolean)
      .slice(1);
    const labels = new Map(
      readFileSync(path.join(TREES, `${name}.governed.tsv`), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((row) => row.split("\t"))
        .map(([kind, p]) => [p, kind]),
    );
    const classified = new Map<string, string>();
    for (const p of paths) {
      const kind = classifyPath(p);
      if (kind && LABELLED.has(kind)) classified.set(p, kind);
    }
    const same = [...labels].filter(([p, kind]) => classified.get(p) === kind).length;
    log(
      `  ${name.padEnd(28)} hand ${String(labels.size).padStart(4)}  found ${String(classified.size).padStart(4)}  found/hand ${(same / labels.size).toFixed(3)}`,
    );
    hand += labels.size;
    found += classified.size;
    agree += same;
  }
  log(`  all: hand ${hand}, found ${found}, agree ${agree}, found/hand ${(agree / hand).toFixed(3)} (target >= 0.98)`);
}

/** 500 agent files of the new kinds, each a real layout with a few findings, linted with the head tree. */
function agentFiles() {
  const tree = new Set<string>(Array.from({ length: 20_000 }, (_, i) => `src/m${i % 200}/f${i}.${i % 3 === 0 ? "py" : "ts"}`));
  const files: Array<{ path: string; kind: SpecKind; text: string }> = [];
  for (let i = 0; i < 100; i++) {
    files.push(
      {
        path: `.claude/skills/s${i}/SKILL.md`,
        kind: "skill",
        text: `---\nname: s${i}\ndescription: Skill ${i}.\nallowed-tools: Bash, Read\n---\n# S\n\n\`\`\`sh\nnpm test\n\`\`\`\n`,
      },
      { path: `.cursor/rules/r${i}.mdc`, kind: "agent", text: `---\ndescription: Rule ${i}\nglobs: "src/m${i}/**/*.ts"\n---\n- Use strict mode.\n` },
      { path: `.github/instructions/i${i}.instructions.md`, kind: "agent", text: `---\napplyTo: 'src/m${i}/**/*.py,**/*.go'\n---\n- Use ruff.\n` },
      { path: `.claude/agents/a${i}.md`, kind: "subagent", text: `---\nname: a${i}\ndescription: Agent ${i}.\ntools: Bash, Read\n---\nYou review.\n` },
      {
        path: `plugins/p${i}/.mcp.json`,
        kind: "tool-config",
        text: JSON.stringify({ mcpServers: { s: { command: "npx", args: ["-y", `pkg-${i}`] } } }, null, 2),
      },
    );
  }
  return { tree, files };
}

function lintTiming(log: (line: string) => void) {
  const { tree, files } = agentFiles();
  const started = performance.now();
  let issues = 0;
  for (const file of files) issues += lintFile({ ...file, tree }).length;
  const ms = performance.now() - started;
  log(
    `  linted ${files.length} agent files against a 20,000-path tree in ${ms.toFixed(0)} ms (${(ms / files.length).toFixed(2)} ms per file), ${issues} issues`,
  );
}

/**
 * Issue 18's figure: `specledger lint` of a repository with 500 agent files against the import of
 * the same repository, in the same run. The lint side is the CLI's own lintFolder (walk the tree,
 * read the governed files, lint), without the process start; target: under 10% of the import.
 */
async function lintVersusImport(log: (line: string) => void) {
  const { files } = agentFiles();
  const dir = mkdtempSync(path.join(os.tmpdir(), "specledger-agent-bench-"));
  try {
    const write = (p: string, text: string) => {
      mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      writeFileSync(path.join(dir, p), text);
    };
    for (const file of files) write(file.path, file.text);
    for (let i = 0; i < 2_000; i++) write(`src/m${i % 100}/f${i}.${i % 3 === 0 ? "py" : "ts"}`, `export const x${i} = ${i};\n`);
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=Bench", "-c", "user.email=bench@example.com", ...args], { cwd: dir, stdio: "ignore" });
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("commit", "-q", "-m", "agent files");
    const record = await db.repository.create({ data: { name: `agent-bench-${Date.now()}`, source: dir } });
    let t = performance.now();
    await importRepository({ repositoryId: record.id });
    const importMs = performance.now() - t;
    t = performance.now();
    const { findings } = lintFolder(dir, []);
    const lintMs = performance.now() - t;
    const ratio = lintMs / importMs;
    log(
      `  lint of ${files.length} agent files ${lintMs.toFixed(0)} ms (${findings.length} findings) vs import ${importMs.toFixed(0)} ms: ${(ratio * 100).toFixed(1)}% (target < 10%)${ratio < 0.1 ? "" : "  < target"}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runAgentConfigBenchmark({ log }: { log: (line: string) => void }) {
  log("agent-config: kind coverage on the pinned public trees");
  coverage(log);
  log("agent-config: lint time");
  lintTiming(log);
  log("agent-config: lint against import, same repository and run");
  await lintVersusImport(log);
}

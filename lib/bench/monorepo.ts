/**
 * The synthetic monorepo of issue 17 §1, written with ONE `git fast-import`: 100,000 files in
 * 7,130 directories (70 packages × ~101 modules), 200 large binaries, 5,000 commits and 300
 * governed files (260 specs at the root, 40 packages' AGENTS.md), 17 of them renamed.
 * Deterministic for a seed, so runs compare.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { mulberry32 } from "./synthetic-repo";

export interface MonorepoShape {
  files: number;
  packages: number;
  modules: number;
  binaries: number;
  binaryBytes: number;
  commits: number;
  specs: number;
  agentFiles: number;
  renames: number;
}

export const MONOREPO: MonorepoShape = {
  files: 100_000,
  packages: 70,
  modules: 7_060,
  binaries: 200,
  binaryBytes: 256 * 1024,
  commits: 5_000,
  specs: 260,
  agentFiles: 40,
  renames: 17,
};

export interface Monorepo {
  path: string;
  head: string;
  /** Every path that was governed at some commit (specs and agent files, before and after renames). */
  governedPaths: Set<string>;
}

/** Creates the monorepo as a bare repository at `dir` (allowing filtered clones of it). */
export async function createMonorepo(opts: { dir: string; shape?: MonorepoShape; seed?: number }): Promise<Monorepo> {
  const shape = opts.shape ?? MONOREPO;
  const rng = mulberry32(opts.seed ?? 17);
  const int = (n: number) => Math.floor(rng() * n);
  fs.mkdirSync(opts.dir, { recursive: true });
  await run(opts.dir, ["init", "--bare", "--quiet", "-b", "main"]);
  await run(opts.dir, ["config", "uploadpack.allowFilter", "true"]);

  const moduleDir = (m: number) => `pkg${m % shape.packages}/mod${Math.floor(m / shape.packages)}`;
  const code = Array.from({ length: shape.files - shape.binaries - shape.specs - shape.agentFiles }, (_, i) => `${moduleDir(i % shape.modules)}/f${i}.ts`);
  const codeVersion = new Array<number>(code.length).fill(0);
  const binaries = Array.from({ length: shape.binaries }, (_, i) => `${moduleDir((i * 37) % shape.modules)}/asset${i}.bin`);
  const governed = [
    ...Array.from({ length: shape.specs }, (_, i) => `specs/${String(i + 1).padStart(3, "0")}-feature/spec.md`),
    ...Array.from({ length: shape.agentFiles }, (_, i) => `pkg${i % shape.packages}/AGENTS.md`),
  ];
  const governedVersion = new Array<number>(governed.length).fill(0);
  const governedPaths = new Set(governed);
  const codeText = (i: number) => `// ${code[i]} v${codeVersion[i]}\nexport const value${i} = ${codeVersion[i]};\n`;
  const governedText = (i: number) =>
    `# ${governed[i]}\n\nVersion ${governedVersion[i]}.\n\n${Array.from({ length: 8 }, (_, k) => `- FR-${k + 1}: the system does ${i * 31 + k} (v${governedVersion[i]}).`).join("\n")}\n`;

  const child = spawn("git", ["fast-import", "--quiet", "--done"], { cwd: opts.dir, stdio: ["pipe", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  child.stdin.on("error", () => {}); // a failure surfaces through the exit code
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  let buffered: Buffer[] = [];
  let size = 0;
  const push = (data: string | Buffer) => {
    const b = typeof data === "string" ? Buffer.from(data) : data;
    buffered.push(b);
    size += b.length;
  };
  const flush = async () => {
    if (size === 0) return;
    const chunk = Buffer.concat(buffered);
    buffered = [];
    size = 0;
    if (!child.stdin.write(chunk)) await new Promise((resolve) => child.stdin.once("drain", resolve));
  };
  const data = (body: string | Buffer) => {
    const b = typeof body === "string" ? Buffer.from(body) : body;
    push(`data ${b.length}\n`);
    push(b);
    push("\n");
  };
  let time = 1_700_000_000;
  const commit = (message: string) => {
    time += 600 + int(3600);
    push(`commit refs/heads/main\ncommitter Mono Dev <mono@example.com> ${time} +0000\n`);
    data(message);
  };

  commit("Initial import of the monorepo\n");
  for (let i = 0; i < code.length; i++) {
    push(`M 100644 inline ${code[i]}\n`);
    data(codeText(i));
    if (size > 1 << 20) await flush();
  }
  for (const bin of binaries) {
    push(`M 100644 inline ${bin}\n`);
    data(randomBytes(shape.binaryBytes));
    await flush();
  }
  for (let i = 0; i < governed.length; i++) {
    push(`M 100644 inline ${governed[i]}\n`);
    data(governedText(i));
  }
  push("\n");
  // Renames spread over the history, of specs only; each is a plain move (git detects it exactly).
  const renameAt = new Set(Array.from({ length: shape.renames }, (_, k) => Math.floor(((k + 1) * shape.commits) / (shape.renames + 1))));
  for (let c = 1; c < shape.commits; c++) {
    commit(`Change ${c}\n`);
    for (let k = 0; k < 3; k++) {
      const i = int(code.length);
      codeVersion[i]++;
      push(`M 100644 inline ${code[i]}\n`);
      data(codeText(i));
    }
    if (rng() < 0.3) {
      const i = int(governed.length);
      governedVersion[i]++;
      push(`M 100644 inline ${governed[i]}\n`);
      data(governedText(i));
    }
    if (renameAt.has(c)) {
      const i = int(shape.specs);
      const to = governed[i].replace(/-feature(-r\d+)?\/spec\.md$/, `-feature-r${c}/spec.md`);
      push(`R ${governed[i]} ${to}\n`);
      governed[i] = to;
      governedPaths.add(to);
    }
    push("\n");
    if (size > 1 << 20) await flush();
  }
  push("done\n");
  await flush();
  child.stdin.end();
  const code_ = await exited;
  if (code_ !== 0) throw new Error(`git fast-import failed (exit ${code_}): ${stderr.trim()}`);
  const head = (await run(opts.dir, ["rev-parse", "refs/heads/main"])).trim();
  return { path: opts.dir, head, governedPaths };
}

function run(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`git ${args.join(" ")} failed: ${err.trim()}`))));
  });
}

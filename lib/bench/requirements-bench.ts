// `npm run bench -- requirements`: extraction recall on labelled specs (the fixtures and the
// demo's specs), identity kept across three consecutive edits (reword, reorder, insert), and the
// import rate with the requirements stage against the same import without it (decision 034).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { db } from "@/lib/db";
import { buildDemoRepos } from "@/lib/demo/demo-repos";
import { importRepository } from "@/lib/repositories/import";
import { extractRequirements, type ExtractedRequirement } from "@/lib/requirements/extract";
import { evolveRequirements, type TrackedRequirement } from "@/lib/requirements/identity";
import { CORES, withMachineCpu } from "./cpu";
import { compileKindRules, kindRulesFromEnv } from "@/lib/specs/kinds";
import { createSyntheticRepo } from "./synthetic-repo";

const FIXTURES = path.join(process.cwd(), "lib", "requirements", "fixtures");

/** A labelled spec: its text and the labels of the requirements a reader finds in it. */
interface Labelled {
  name: string;
  text: string;
  labels: string[];
}

const labelOf = (r: ExtractedRequirement) => r.key ?? `ears:${r.line}`;

function fixtureSpecs(): Labelled[] {
  const expectations = JSON.parse(fs.readFileSync(path.join(FIXTURES, "expectations.json"), "utf8")) as Record<string, { keys: string[] }>;
  return Object.entries(expectations).map(([file, e]) => ({ name: file, text: fs.readFileSync(path.join(FIXTURES, file), "utf8"), labels: e.keys }));
}

/**
 * The demo's specs at their heads, labelled by a reader's rules written apart from the extractor:
 * every line defining an FR/NFR/SC/REQ id, every Kiro "Requirement N" heading and every numbered
 * or bulleted line under it that starts with an EARS keyword and carries SHALL.
 */
function demoSpecs(dir: string): Promise<Labelled[]> {
  return buildDemoRepos({ dir }).then((repos) => {
    const classify = compileKindRules(kindRulesFromEnv());
    const out: Labelled[] = [];
    for (const repo of repos) {
      const files = execFileSync("git", ["-C", repo.path, "ls-tree", "-r", "--name-only", "HEAD"], { encoding: "utf8" }).split("\n").filter(Boolean);
      for (const file of files.filter((f) => classify(f) === "spec")) {
        const text = execFileSync("git", ["-C", repo.path, "show", `HEAD:${file}`], { encoding: "utf8" });
        const labels: string[] = [];
        let parent: string | null = null;
        let n = 0;
        text.split("\n").forEach((line, i) => {
          const id = /^(?:#{2,6} |[-*] )(?:\*\*)?((?:FR|NFR|SC|REQ)-\d+)/.exec(line);
          const kiro = /^#{2,6} Requirement (\d+)/.exec(line);
          if (id || kiro) {
            parent = id ? id[1] : `R${kiro![1]}`;
            labels.push(parent);
            n = 0;
          } else if (/^(?:\d+\.|[-*]) (WHEN|IF|WHILE|WHERE|THE)\b.*\bSHALL\b/.test(line)) {
            n++;
            const numbered = /^(\d+)\./.exec(line);
            labels.push(parent ? `${parent}.${parent.startsWith("R") && numbered ? numbered[1] : n}` : `ears:${i + 1}`);
          } else if (/^#{1,2} /.test(line)) parent = null;
        });
        out.push({ name: `${repo.name}/${file}`, text, labels });
      }
    }
    return out;
  });
}

/** Recall of labelled requirements: the share of labels the extractor also finds. */
export function recall(specs: readonly Labelled[]): { found: number; labelled: number; missed: string[] } {
  let found = 0;
  let labelled = 0;
  const missed: string[] = [];
  for (const spec of specs) {
    const got = new Set(extractRequirements(spec.text).map(labelOf));
    for (const label of spec.labels) {
      labelled++;
      if (got.has(label)) found++;
      else missed.push(`${spec.name} ${label}`);
    }
  }
  return { found, labelled, missed };
}

/** Reworded: one word of the requirement's text changed, as a clarifying edit does. */
function reword(line: string, k: number): string {
  const words = line.split(" ");
  const at = Math.max(2, words.length - 2 - (k % 3));
  if (at >= words.length) return `${line} clearly`;
  words.splice(at, 0, ["always", "promptly", "reliably"][k % 3]);
  return words.join(" ");
}

/**
 * Three consecutive edits to each labelled spec's requirement lines (reword each, then reverse
 * their order within their block, then insert a new requirement line before each), and the share
 * of the original requirements that keep their identity through all three.
 */
export function identityAcrossEdits(specs: readonly Labelled[]): { kept: number; total: number } {
  let kept = 0;
  let total = 0;
  for (const spec of specs) {
    let ids = 0;
    const newId = () => `n${++ids}`;
    let text = spec.text;
    const start = evolveRequirements([], extractRequirements(text), newId);
    // Each original requirement is followed by its line's text: the edits move and change lines, the truth moves with them.
    const lines = text.split("\n");
    const truth = new Map<string, string>(); // marker → original id
    start.state.forEach((r, k) => {
      // Invisible format characters (no letters or digits), so that the marker never helps a match.
      const marker = `\u2063${k.toString(2).replace(/0/g, "\u200b").replace(/1/g, "\u200c")}\u2063`;
      lines[r.line - 1] = `${lines[r.line - 1]} ${marker}`;
      truth.set(marker, r.id);
    });
    text = lines.join("\n");
    let state: TrackedRequirement[] = evolveRequirements([], extractRequirements(text), () => "unused").state.map((r, k) => ({ ...r, id: start.state[k].id }));
    const edits = [
      (t: string) =>
        t
          .split("\n")
          .map((l, k) => (l.includes("\u2063") ? reword(l, k) : l))
          .join("\n"),
      (t: string) => {
        const ls = t.split("\n");
        // Reverse each run of consecutive requirement lines (a reorder inside a list).
        for (let i = 0; i < ls.length;) {
          if (!ls[i].includes("\u2063") || !/^\s*([-*]|\d+\.)\s/.test(ls[i])) {
            i++;
            continue;
          }
          let j = i;
          while (j < ls.length && ls[j].includes("\u2063") && /^\s*([-*]|\d+\.)\s/.test(ls[j])) j++;
          ls.splice(i, j - i, ...ls.slice(i, j).reverse());
          i = j;
        }
        return ls.join("\n");
      },
      (t: string) =>
        t
          .split("\n")
          .flatMap((l, k) =>
            l.includes("\u2063") && /^\s*[-*]\s/.test(l) && !/(FR|NFR|SC|REQ)-\d/.test(l)
              ? [`- WHEN an operator audits entry ${k} THE audit service SHALL export report ${k} as CSV.`, l]
              : [l],
          )
          .join("\n"),
    ];
    for (const edit of edits) {
      text = edit(text);
      state = evolveRequirements(state, extractRequirements(text), newId).state;
    }
    for (const [marker, id] of truth) {
      total++;
      const now = state.find((r) => r.text.includes(marker));
      if (now?.id === id) kept++;
    }
  }
  return { kept, total };
}

/** The measured imports, with the stage (true) or without, in an order that balances drift (ABBA BAAB). */
// Sixteen imports: with eight the ratio moved by ±0.05 between runs of the same code.
const ORDER = [true, false, false, true, false, true, true, false, false, true, true, false, true, false, false, true];

async function importRate(
  repoPath: string,
  requirements: boolean,
): Promise<{ versionsPerSecond: number; requirements: number; stageMs: number; steps: Map<string, number>; cpuSeconds: number | null }> {
  const record = await db.repository.create({ data: { name: `bench-req-${requirements ? "on" : "off"}-${Date.now()}`, source: repoPath } });
  let stageMs = 0;
  const steps = new Map<string, number>();
  const { cpuSeconds, wallSeconds } = await withMachineCpu(() =>
    importRepository({
      repositoryId: record.id,
      requirements,
      onStep: (step, ms) => {
        steps.set(step, (steps.get(step) ?? 0) + ms);
        stageMs += step.startsWith("requirements") || step === "test links" ? ms : 0;
      },
    }),
  );
  const ms = wallSeconds * 1000;
  const versions = await db.specVersion.count({ where: { spec: { repositoryId: record.id } } });
  const count = await db.requirement.count({ where: { spec: { repositoryId: record.id } } });
  return { versionsPerSecond: versions / (ms / 1000), requirements: count, stageMs, steps, cpuSeconds };
}

export async function runRequirementsBenchmark(opts: { log: (line: string) => void; commits?: number; files?: number }) {
  const { log } = opts;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "specledger-reqbench-"));
  try {
    const specs = [...fixtureSpecs(), ...(await demoSpecs(path.join(dir, "demo")))];
    const r = recall(specs);
    const share = r.labelled === 0 ? 0 : r.found / r.labelled;
    log("");
    log(`Requirements: extraction recall ${share.toFixed(3)} (${r.found} of ${r.labelled} labelled, ${specs.length} specs; target >= 0.95)`);
    for (const m of r.missed.slice(0, 10)) log(`  missed ${m}`);
    const id = identityAcrossEdits(specs);
    log(
      `Requirements: identity kept across 3 edits (reword, reorder, insert) ${(id.kept / Math.max(1, id.total)).toFixed(3)} (${id.kept} of ${id.total}; target >= 0.95)`,
    );

    const repo = await createSyntheticRepo({ dir: path.join(dir, "repo"), commits: opts.commits ?? 2_000, files: opts.files ?? 100, seed: 42 });
    // A first import stores the contents; the measured ones then do the same work apart from the stage.
    // The import right after the first one pays for setting the stored rows' hint bits (measuring the
    // stage always there made it look 2-3x dearer): it is a second warm-up, not measured. The measured
    // ones alternate in a balanced order, so that drift on the machine weighs on both sides alike.
    await importRate(repo.path, false);
    await importRate(repo.path, true);
    const runs: Array<{ stage: boolean } & Awaited<ReturnType<typeof importRate>>> = [];
    for (const stage of ORDER) runs.push({ stage, ...(await importRate(repo.path, stage)) });
    const total = (on: boolean) => runs.filter((r) => r.stage === on).reduce((sum, r) => sum + 1 / r.versionsPerSecond, 0);
    const ratio = total(false) / total(true);
    const on = runs[0];
    const off = runs[1];
    log(
      `Requirements: import ${on.versionsPerSecond.toFixed(0)} versions/s with the stage (${on.requirements} requirements), ${off.versionsPerSecond.toFixed(0)} without (the stage took ${(on.stageMs / 1000).toFixed(2)} s); over ${ORDER.length} imports alternating on and off: ratio ${ratio.toFixed(3)} (target >= 0.8)`,
    );
    log(`  runs (versions/s): ${runs.map((r) => `${r.stage ? "on" : "off"} ${r.versionsPerSecond.toFixed(0)}`).join(", ")}`);
    // The work itself: CPU the whole machine spent per import. Where the imports keep the cores busy, the
    // ratio cannot pass the ratio of the work, however the stage overlaps the rest.
    const cpu = (on: boolean) => runs.filter((r) => r.stage === on).map((r) => r.cpuSeconds);
    if (![...cpu(true), ...cpu(false)].includes(null)) {
      const mean = (xs: (number | null)[]) => xs.reduce<number>((a, x) => a + x!, 0) / xs.length;
      log(
        `  CPU of the whole machine per import (${CORES} cores): ${mean(cpu(true)).toFixed(2)} CPU-s with the stage, ${mean(cpu(false)).toFixed(2)} without: ` +
          `the work's own ratio ${(mean(cpu(false)) / mean(cpu(true))).toFixed(3)}`,
      );
    }
    // Where the difference goes: each import step with and without the stage, in seconds.
    const names = [...new Set([...on.steps.keys(), ...off.steps.keys()])];
    log(
      `  steps (s, with / without): ${names.map((n) => `${n} ${((on.steps.get(n) ?? 0) / 1000).toFixed(2)}/${((off.steps.get(n) ?? 0) / 1000).toFixed(2)}`).join("; ")}`,
    );
    return { recall: share, identity: id.kept / Math.max(1, id.total), importRatio: ratio };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

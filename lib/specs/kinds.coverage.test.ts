// The "found vs hand count" figure of issue 18: the classifier run over the whole tree of real public
// repositories (pinned commits, fixtures/trees/*.txt.gz from `git ls-tree -r`) against hand labels.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { classifyPath, type SpecKind } from "./kinds";

const DIR = path.join(import.meta.dirname, "fixtures", "trees");
// The agent-configuration kinds the labels cover; spec kinds have their own fixtures.
const LABELLED: ReadonlySet<SpecKind> = new Set(["agent", "skill", "subagent", "prompt", "tool-config", "steering", "constitution"]);

function tree(name: string): { pinned: string; paths: string[] } {
  const lines = gunzipSync(readFileSync(path.join(DIR, `${name}.txt.gz`)))
    .toString("utf8")
    .split("\n")
    .filter(Boolean);
  return { pinned: lines[0].replace(/^# /, ""), paths: lines.slice(1) };
}

function labels(name: string): Map<string, string> {
  const rows = readFileSync(path.join(DIR, `${name}.governed.tsv`), "utf8")
    .split("\n")
    .filter(Boolean);
  return new Map(rows.map((row) => row.split("\t")).map(([kind, p]) => [p, kind]));
}

const REPOS = readdirSync(DIR)
  .filter((f) => f.endsWith(".txt.gz"))
  .map((f) => f.replace(/\.txt\.gz$/, ""))
  .sort();

describe("kind coverage on real repositories", () => {
  const totals = { hand: 0, found: 0, agree: 0 };

  it.each(REPOS)("%s: the classifier finds the hand-counted files with their kinds", (name) => {
    const { pinned, paths } = tree(name);
    const hand = labels(name);
    const found = new Map<string, string>();
    for (const p of paths) {
      const kind = classifyPath(p);
      if (kind && LABELLED.has(kind)) found.set(p, kind);
    }
    const agree = [...hand].filter(([p, kind]) => found.get(p) === kind).length;
    totals.hand += hand.size;
    totals.found += found.size;
    totals.agree += agree;
    const recall = agree / hand.size;
    const precision = found.size === 0 ? 1 : agree / found.size;
    process.stdout.write(
      `[kinds] ${pinned}: hand ${hand.size}, found ${found.size}, agree ${agree}, found/hand ${recall.toFixed(3)}, precision ${precision.toFixed(3)}\n`,
    );
    expect(hand.size).toBeGreaterThan(0);
    expect(recall).toBeGreaterThanOrEqual(0.98);
    expect(precision).toBeGreaterThanOrEqual(0.98);
  });

  it("all repositories together: found / hand count >= 0.98", () => {
    const ratio = totals.agree / totals.hand;
    process.stdout.write(
      `[kinds] all ${REPOS.length} repositories: hand ${totals.hand}, found ${totals.found}, agree ${totals.agree}, found/hand ${ratio.toFixed(3)}` + "\n",
    );
    expect(totals.hand).toBeGreaterThan(1000);
    expect(ratio).toBeGreaterThanOrEqual(0.98);
  });
});

import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The layer rules (.dependency-cruiser.cjs) read as data: which folder may import which.
// `npm test` runs dependency-cruiser itself; this checks the rules cover every folder.
interface Rule {
  name: string;
  from: { path?: string; pathNot?: string };
  to: { path?: string; circular?: boolean };
}
const config = createRequire(import.meta.url)("../.dependency-cruiser.cjs") as { forbidden: Rule[] };
const layered = config.forbidden.filter((rule) => rule.from.path && rule.to.path);

/** The rules that forbid `from` importing `to`. */
const forbidding = (from: string, to: string) =>
  layered.filter((rule) => new RegExp(rule.from.path!).test(from) && new RegExp(rule.to.path!).test(to)).map((rule) => rule.name);

describe("layer rules", () => {
  const folders = readdirSync(path.join(import.meta.dirname), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);

  it.each(folders)("lib/%s is placed in the layer order", (folder) => {
    const from = `lib/${folder}/x.ts`;
    // Top-level code may import anything; every other folder must be forbidden something.
    const top = /^(operations|http|actions|cli|bench|demo|testing)$/.test(folder);
    expect(top || layered.some((rule) => new RegExp(rule.from.path!).test(from))).toBe(true);
  });

  it.each([
    ["lib/checks/run.ts", "lib/operations/checks.ts"],
    ["lib/checks/run.ts", "lib/http/route.ts"],
    ["lib/checks/run.ts", "lib/dashboard/index.ts"],
    ["lib/webhooks/github.ts", "lib/operations/webhooks.ts"],
    ["lib/webhooks/github.ts", "lib/inbox/index.ts"],
    ["lib/webhooks/github.ts", "app/api/v1/webhooks/github/route.ts"],
    ["lib/repositories/index.ts", "lib/checks/run.ts"],
    ["lib/findings/store.ts", "lib/webhooks/github.ts"],
    ["lib/db/index.ts", "lib/checks/run.ts"],
    ["lib/auth/session.ts", "lib/webhooks/github.ts"],
    ["lib/audit/index.ts", "lib/requirements/index.ts"],
  ])("%s may not import %s", (from, to) => {
    expect(forbidding(from, to)).not.toEqual([]);
  });

  it.each([
    ["lib/checks/run.ts", "lib/repositories/source-match.ts"],
    ["lib/webhooks/github.ts", "lib/repositories/source-match.ts"],
    ["lib/checks/run.ts", "lib/findings/store.ts"],
    ["lib/operations/checks.ts", "lib/checks/run.ts"],
    ["lib/dashboard/index.ts", "lib/checks/run.ts"],
    ["lib/auth/tokens.ts", "lib/tokens/index.ts"],
  ])("%s may import %s", (from, to) => {
    expect(forbidding(from, to)).toEqual([]);
  });

  it("a folder missing from the order may import nothing", () => {
    const catchAll = config.forbidden.find((rule) => rule.name === "every-lib-module-has-a-layer")!;
    expect(new RegExp(catchAll.from.pathNot!).test("lib/newthing/a.ts")).toBe(false);
    expect(new RegExp(catchAll.from.path!).test("lib/newthing/a.ts")).toBe(true);
    for (const folder of folders) expect(new RegExp(catchAll.from.pathNot!).test(`lib/${folder}/a.ts`)).toBe(true);
  });
});

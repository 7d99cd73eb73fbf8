import { describe, expect, it } from "vitest";
import { PAYMENTS_AGENTS, claudeMd } from "@/lib/demo/demo-repos";
import { compareInstructionFiles } from "./competing";

// The demo's payments-service AGENTS.md and CLAUDE.md, which disagree.
const PAYMENTS_CLAUDE = claudeMd(2);

const file = (path: string, text: string) => ({ path, text });
const compare = (a: string, b: string) => compareInstructionFiles(file("AGENTS.md", a), file("CLAUDE.md", b));

describe("compareInstructionFiles", () => {
  it("finds the demo's package manager, test runner, money and merge conflicts", () => {
    const result = compare(PAYMENTS_AGENTS, PAYMENTS_CLAUDE);
    expect(result.conflicts.map((c) => [c.topic, c.a.line, c.b.line])).toEqual([
      ["package manager (pnpm vs npm)", 5, 7],
      ["test runner (Vitest vs Jest)", 10, 8],
      ["money amounts (minor units vs major units)", 16, 14],
      ["merge strategy (squash vs merge commits)", 27, 15],
    ]);
    expect(result.onlyInA.map((i) => i.line)).toEqual([6, 21, 22]);
    expect(result.onlyInB.map((i) => i.text)).toEqual([
      "Lint with `npm run lint`.",
      "Re-read the spec under `specs/` that your change touches and list any requirement you did not implement.",
      "Never commit secrets or `.env` files.",
    ]);
    expect(result.disagree).toBe(true);
  });

  it.each([
    ["Use pnpm to install dependencies.", "Use npm to install dependencies.", "pnpm vs npm"],
    ["Write tests with Vitest.", "Write tests with Jest.", "vitest vs jest"],
    ["Store amounts in minor units.", "Store amounts in major units.", "minor vs major"],
    ["Always squash commits when merging.", "Never squash commits when merging.", "always vs never"],
    ["Do not commit the lockfile.", "Commit the lockfile.", "do not vs —"],
    ["Keep functions under 50 lines.", "Keep functions under 80 lines.", "50 vs 80"],
    ["Use Node 20.", "Use Node 18.", "20 vs 18"],
  ])("%s / %s conflict on %s", (a, b, terms) => {
    const result = compare(`- ${a}\n`, `- ${b}\n`);
    expect(result.conflicts).toHaveLength(1);
    expect(result.conflicts[0].topic).toContain(`(${terms})`);
    expect(result.conflicts[0].a).toEqual({ text: a, line: 1, imperative: true });
    expect(result.conflicts[0].b.text).toBe(b);
    expect(result.onlyInA).toEqual([]);
    expect(result.onlyInB).toEqual([]);
    expect(result.disagree).toBe(true);
  });

  it("labels a conflict with the words both sides share", () => {
    const [conflict] = compare("- Use pnpm to install dependencies.\n", "- Use npm to install dependencies.\n").conflicts;
    expect(conflict.topic).toBe("install dependencies (pnpm vs npm)");
  });

  it("finds nothing between identical files", () => {
    const result = compare(PAYMENTS_AGENTS, PAYMENTS_AGENTS);
    expect(result).toEqual({ onlyInA: [], onlyInB: [], conflicts: [], disagree: false });
  });

  it("finds nothing when the same rules are reordered, renumbered and lightly reworded", () => {
    const a = "## Rules\n\n- Run the tests before you push.\n- Use pnpm.\n- Never commit secrets.\n";
    const b = "# CLAUDE.md\n\n1. Never commit secrets!\n2. Use **pnpm**.\n3. Run all tests before pushing.\n";
    expect(compare(a, b)).toEqual({ onlyInA: [], onlyInB: [], conflicts: [], disagree: false });
  });

  it("lists the rules of unrelated but compatible files as only in one of them", () => {
    const a = "- Run `pnpm test` before you push.\n- Keep fixtures next to the tests that use them.\n";
    const b = "- Write docs in British English.\n- Link every ADR from the README.\n\nThe docs site is built nightly.\n";
    const result = compare(a, b);
    expect(result.conflicts).toEqual([]);
    expect(result.onlyInA.map((i) => i.line)).toEqual([1, 2]);
    // Descriptive sentences are not instructions, so they are not listed.
    expect(result.onlyInB.map((i) => i.text)).toEqual(["Write docs in British English.", "Link every ADR from the README."]);
    expect(result.disagree).toBe(true);
  });

  it("does not call a file that only adds rules a disagreement", () => {
    const a = "- Use pnpm.\n- Run the linter before committing.\n";
    const b = "- Use pnpm.\n";
    const result = compare(a, b);
    expect(result.onlyInA.map((i) => i.text)).toEqual(["Run the linter before committing."]);
    expect(result.onlyInB).toEqual([]);
    expect(result.disagree).toBe(false);
  });

  it("does not take reordered words for a swap, but still sees one among them", () => {
    const reordered = compareInstructionFiles(
      { path: "AGENTS.md", text: "- Always run `pnpm lint` and `pnpm test` before committing.\n" },
      { path: "GEMINI.md", text: "- Run `pnpm test` (Vitest) and `pnpm lint` before committing.\n" },
    );
    expect(reordered.conflicts).toEqual([]);
    const swapped = compareInstructionFiles(
      { path: "AGENTS.md", text: "- Always run `pnpm lint` and `pnpm test` before committing.\n" },
      { path: "CLAUDE.md", text: "- Always run `npm lint` and `npm test` before committing.\n" },
    );
    expect(swapped.conflicts.map((c) => c.topic).join(" ")).toMatch(/pnpm vs npm/);
  });

  it("does not take an added clause for a negation", () => {
    const result = compare("- TypeScript strict mode; never use `any`.\n", "- TypeScript with strict mode on.\n");
    expect(result.conflicts).toEqual([]);
  });

  it("does not report a choice both files mention", () => {
    const result = compare("- Use pnpm, not npm or yarn.\n", "- Use npm scripts through pnpm.\n");
    expect(result.conflicts.filter((c) => c.topic.startsWith("package manager"))).toEqual([]);
  });

  it("is deterministic and symmetric in what it finds", () => {
    const ab = compare(PAYMENTS_AGENTS, PAYMENTS_CLAUDE);
    const ba = compareInstructionFiles(file("CLAUDE.md", PAYMENTS_CLAUDE), file("AGENTS.md", PAYMENTS_AGENTS));
    expect(compare(PAYMENTS_AGENTS, PAYMENTS_CLAUDE)).toEqual(ab);
    expect(ba.conflicts).toHaveLength(ab.conflicts.length);
    expect(ba.onlyInA).toEqual(ab.onlyInB);
    expect(ba.onlyInB).toEqual(ab.onlyInA);
  });
});

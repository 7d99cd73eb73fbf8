import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { checkRepository } from "./checks";
import { findingsConfigSchema } from "./settings";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

let repositoryId: string;

beforeAll(async () => {
  const repo = TestRepo.create();
  repos.push(repo);
  repo.commit("agents", {
    "AGENTS.md": "# Root\n\n- Use pnpm to install packages.\n" + "- Keep functions small.\n".repeat(1362),
    "services/billing/AGENTS.md": "# Billing\n\n- Store amounts in minor units.\n\n## Refunds\n\n- Never refund twice.\n",
    "services/billing/pay.ts": "export {};\n",
    "CLAUDE.md": "@AGENTS.md\n@docs/missing.md\n",
    ".cursor/rules/deps.mdc": "---\nalwaysApply: true\n---\n- Use npm to install packages.\n",
  });
  const { id } = await db.repository.create({ data: { name: randomName("effective"), source: repo.path } });
  await importRepository({ repositoryId: id });
  repositoryId = id;
});

describe("effective-instructions findings", () => {
  it("are on by default, and off when the workspace turns them off", async () => {
    const on = await checkRepository(repositoryId, findingsConfigSchema.parse({}));
    expect(on.filter((d) => d.type === "effective-instructions").length).toBeGreaterThan(0);
    const off = await checkRepository(repositoryId, findingsConfigSchema.parse({ types: { "effective-instructions": false } }));
    expect(off.filter((d) => d.type === "effective-instructions")).toEqual([]);
  });

  it("report Codex's cut, an import that does not resolve, and files that load together and contradict, at info", async () => {
    const config = findingsConfigSchema.parse({ types: { "effective-instructions": true } });
    const drafts = (await checkRepository(repositoryId, config)).filter((d) => d.type === "effective-instructions");
    const summary = drafts.map((d) => `${(d.evidence as { agent: string }).agent}:${d.rule}:${(d.evidence as { path: string }).path}`);
    expect(summary).toContain("codex:truncated:services/billing/AGENTS.md");
    expect(summary).toContain("claude-code:import-missing:CLAUDE.md");
    expect(summary).toContain("cursor:contradiction:AGENTS.md");
    expect(drafts.every((d) => d.severity === "info")).toBe(true);
    const cut = drafts.find((d) => d.rule === "truncated")!;
    expect(cut.message).toContain("## Refunds");
    // One finding per problem, however many folders meet it.
    expect(summary.filter((s) => s === "claude-code:import-missing:CLAUDE.md")).toHaveLength(1);
  });
});

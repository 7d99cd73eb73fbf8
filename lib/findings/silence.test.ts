// Silencing findings end to end: inline comments and .specledger.yml at the imported commit,
// against a real database and a real git repository.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { readEvidence } from "./evidence";
import { recomputeFindings } from "./store";

const TAG = randomName("silence");
const AGENTS = [
  `# AGENTS.md for ${TAG}`, // 1
  "", // 2
  "- Keep handlers in `src/pay/` and read `docs/gone.md` first.", // 3
  "- Use the old client for now.", // 4
  "<!-- specledger-disable-next-line agent-task-specific -->", // 5
  "- Pin the SDK for now.", // 6
  "- Build output goes to `dist/app.js`; local secrets in `.env.test`.", // 7
  "- The runbook lives in `docs/missing-runbook.md`. <!-- specledger-disable-line broken-reference -->", // 8
  "",
].join("\n");

let repo: TestRepo;
let repositoryId: string;

async function open() {
  return db.finding.findMany({
    where: { repositoryId, status: "open", type: { in: ["lint", "broken-reference"] } },
    orderBy: [{ type: "asc" }, { line: "asc" }],
  });
}

async function reimport(files: Record<string, string | null>) {
  repo.commit("settings", files);
  await importRepository({ repositoryId });
  await recomputeFindings({ repositoryId });
}

beforeAll(async () => {
  repo = TestRepo.create();
  repo.commit("agent file", { "AGENTS.md": AGENTS, ".gitignore": "dist/\n.env*\n", "src/pay/pay.ts": "export const pay = 1;\n" });
  repositoryId = (await db.repository.create({ data: { name: randomName("silence"), source: repo.path } })).id;
  await importRepository({ repositoryId });
  await recomputeFindings({ repositoryId });
});
afterAll(() => repo.remove());

describe("silencing findings", () => {
  it("reports what is wrong, skips ignored paths, and honours inline comments", async () => {
    const found = await open();
    expect(found.map((f) => [f.type, f.rule, f.line])).toEqual([
      ["broken-reference", "broken-reference", 3],
      ["lint", "agent-task-specific", 4],
    ]);
  });

  it("says why each finding fired: the matched text and the rule's reason", async () => {
    const [broken, lint] = await open();
    const b = readEvidence(broken);
    expect(b?.type === "broken-reference" && b.evidence).toMatchObject({
      reference: "docs/gone.md",
      reason: expect.stringContaining("not ignored by .gitignore"),
    });
    const l = readEvidence(lint);
    expect(l?.type === "lint" && l.evidence).toMatchObject({ matched: "for now", reason: expect.stringContaining("go stale") });
  });

  it("a .specledger.yml that is not valid silences nothing", async () => {
    await reimport({ ".specledger.yml": "lint: [unclosed\n" });
    expect((await open()).map((f) => f.rule)).toEqual(["broken-reference", "agent-task-specific"]);
  });

  it("reads .specledger.yml at the imported commit: a disabled rule and an ignored file stop reporting", async () => {
    await reimport({ ".specledger.yml": "lint:\n  disable: [agent-task-specific]\n" });
    expect((await open()).map((f) => f.rule)).toEqual(["broken-reference"]);
    await reimport({ ".specledger.yml": "lint:\n  ignore: ['AGENTS.md']\n" });
    expect(await open()).toEqual([]);
  });

  it("reports again once the settings file is gone", async () => {
    await reimport({ ".specledger.yml": null });
    expect((await open()).map((f) => f.rule)).toEqual(["broken-reference", "agent-task-specific"]);
  });
});

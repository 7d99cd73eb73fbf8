import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { EffectiveInstructionsSection } from "./effective-instructions";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

let viewer: { id: string; email: string; role: "viewer" };
let repositoryId: string;

beforeAll(async () => {
  viewer = (await db.user.create({
    data: { email: `${randomName("viewer")}@instructions-ui.test`, name: "Viewer", role: "viewer" },
    select: { id: true, email: true, role: true },
  })) as typeof viewer;
  const repo = TestRepo.create();
  repos.push(repo);
  repo.commit("agents", {
    "AGENTS.md": "# Root\nUse pnpm.\n",
    "services/billing/AGENTS.md": "# Billing\n" + "Amounts are in minor units.\n".repeat(1300) + "## Refunds\nNever refund twice.\n",
    "services/billing/pay.ts": "export {};\n",
  });
  const { id } = await db.repository.create({ data: { name: randomName("instructions-ui"), source: repo.path } });
  await importRepository({ repositoryId: id });
  repositoryId = id;
});

const render = async (agent: string | undefined, directory: string | undefined) =>
  renderToStaticMarkup(await EffectiveInstructionsSection({ viewer: viewer as never, repositoryId, agent, directory }));

describe("EffectiveInstructionsSection", () => {
  it("renders the ordered files, the cut with the lost heading, and offers the repository's directories", async () => {
    const html = await render("codex", "services/billing");
    expect(html).toContain("What does Codex see in <code");
    expect(html).toMatch(/1\.<\/span> <span class="font-mono">AGENTS\.md/);
    expect(html).toMatch(/2\.<\/span> <span class="font-mono">services\/billing\/AGENTS\.md/);
    expect(html).toContain("including ## Refunds");
    expect(html).toContain('<option value="services/billing">');
  });

  it("shows a refusal for a path outside the repository instead of failing the page", async () => {
    const html = await render("codex", "../../etc");
    expect(html).toContain('role="alert"');
    expect(html).toContain("outside the repository");
    expect(html).not.toContain('data-testid="effective-instructions"');
  });

  it("shows only the form until an agent is chosen", async () => {
    const html = await render(undefined, undefined);
    expect(html).toContain("<form");
    expect(html).not.toContain('data-testid="effective-instructions"');
  });
});

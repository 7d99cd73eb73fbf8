import { createHash } from "node:crypto";
import { createUser, database, expect, SAME_ORIGIN, signInAs, test } from "./fixtures";

/** A live spec the demo's @acme/payments team owns, with a reviewer added to that team. */
async function paymentsSpec() {
  const { rows } = await database().query<{ id: string; path: string }>(
    `SELECT id, path FROM "Spec" WHERE NOT deleted AND owners @> ARRAY['@acme/payments'] AND kind = 'spec' ORDER BY path LIMIT 1`,
  );
  expect(rows, "the demo workspace has a spec owned by @acme/payments").toHaveLength(1);
  return rows[0];
}

async function joinTeam(userId: string, slug: string) {
  await database().query(`INSERT INTO "TeamMember" ("teamId", "userId") SELECT id, $2 FROM "Team" WHERE slug = $1`, [slug, userId]);
}

test("a maintainer proposes in the editor; an owner approves from the queue; the spec shows it approved; the audit chain verifies", async ({ page }) => {
  const spec = await paymentsSpec();
  const maintainer = await createUser("maintainer");
  const reviewer = await createUser("reviewer");
  await joinTeam(reviewer.id, "@acme/payments");
  const marker = `Refunds settle within ${Date.now() % 1000} hours.`;
  const title = `Settlement times ${Date.now().toString(36)}`;

  // The proposal, with the live diff following the typing.
  await signInAs(page, maintainer);
  await page.goto(`/specs/${spec.id}`);
  await page.getByRole("link", { name: "Propose a change" }).click();
  const editor = page.getByRole("textbox", { name: spec.path });
  const original = await editor.inputValue();
  await editor.fill(`${original}\n## Settlement\n\n${marker}\n`);
  await expect(page.getByTestId("live-diff")).toContainText(`+${marker}`.slice(1));
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByRole("button", { name: "Propose change" }).click();
  await expect(page).toHaveURL(/\/changes\/\d+$/);
  const number = Number(page.url().split("/").pop());
  await expect(page.getByTestId("change-state")).toHaveText("proposed");
  // The author is never offered the approve button.
  await expect(page.getByRole("button", { name: "Approve", exact: true })).toHaveCount(0);

  // The owner's queue and count, the diff, the exact bytes, the approval.
  await signInAs(page, reviewer);
  await page.goto("/changes");
  await expect(page.getByTestId("review-count")).toBeVisible();
  await page.getByRole("link", { name: title }).click();
  await expect(page).toHaveURL(new RegExp(`/changes/${number}$`));
  await expect(page.getByTestId("diff")).toContainText(marker);
  const bytes = `${original}\n## Settlement\n\n${marker}\n`;
  await expect(page.getByTestId("content-hash")).toHaveText(`sha256:${createHash("sha256").update(bytes).digest("hex")}`);
  await page.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(page.getByTestId("change-state")).toHaveText("approved");
  await expect(page.getByTestId("review-timeline")).toContainText(`${reviewer.email} approved revision 1`);

  await page.goto(`/specs/${spec.id}`);
  await expect(
    page
      .getByTestId("spec-reviews")
      .getByRole("listitem")
      .filter({ hasText: `#${number}` }),
  ).toContainText("approved");

  const admin = await createUser("admin");
  await signInAs(page, admin);
  await page.goto("/settings/audit");
  await expect(page.getByTestId("audit-verification")).toHaveAttribute("data-ok", "true");
  await expect(
    page
      .getByRole("row")
      .filter({ hasText: `change:${number}` })
      .filter({ hasText: "change.approved" }),
  ).toBeVisible();
});

test("an approval of content that changed under the reviewer is refused and records nothing", async ({ page }) => {
  const spec = await paymentsSpec();
  const maintainer = await createUser("maintainer");
  const reviewer = await createUser("reviewer");
  await joinTeam(reviewer.id, "@acme/payments");

  await signInAs(page, maintainer);
  const created = await page.request.post("/api/v1/changes", {
    headers: SAME_ORIGIN,
    data: { specId: spec.id, title: "Race", content: `# Race\n\n${Date.now()}\n` },
  });
  expect(created.status()).toBe(201);
  const { number } = (await created.json()) as { number: number };

  await signInAs(page, reviewer);
  await page.goto(`/changes/${number}`);
  await expect(page.getByTestId("change-state")).toHaveText("proposed");

  // The author uploads a revision while the reviewer reads.
  const author = await page
    .context()
    .browser()!
    .newContext({ baseURL: new URL(page.url()).origin });
  const authorPage = await author.newPage();
  await signInAs(authorPage, maintainer);
  expect(
    (await authorPage.request.post(`/api/v1/changes/${number}/revisions`, { headers: SAME_ORIGIN, data: { content: "# Race\n\nrevised\n" } })).status(),
  ).toBe(201);
  await author.close();

  await page.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(page.getByRole("form", { name: "Review" }).getByRole("alert")).toContainText("newer revision");
  const { rows } = await database().query(`SELECT count(*)::int AS n FROM "ReviewDecision" d JOIN "Change" c ON c.id = d."changeId" WHERE c.number = $1`, [
    number,
  ]);
  expect(rows[0].n).toBe(0);
});

test("a viewer reads reviews but cannot propose or decide", async ({ page, signIn }) => {
  await signIn("viewer");
  const spec = await paymentsSpec();
  await page.goto(`/specs/${spec.id}`);
  await expect(page.getByRole("link", { name: "Propose a change" })).toHaveCount(0);
  expect((await page.goto(`/specs/${spec.id}/propose`))?.status()).toBe(404);
  await page.goto("/changes?queue=all");
  await page.getByTestId("changes").getByRole("link").first().click();
  await expect(page.getByRole("button", { name: "Approve", exact: true })).toHaveCount(0);
  const { rows } = await database().query<{ number: number; currentHash: string }>(
    `SELECT number, "currentHash" FROM "Change" WHERE state = 'proposed' LIMIT 1`,
  );
  const response = await page.request.post(`/api/v1/changes/${rows[0].number}/decisions`, {
    headers: SAME_ORIGIN,
    data: { kind: "approve", contentHash: rows[0].currentHash },
  });
  expect(response.status()).toBe(403);
});

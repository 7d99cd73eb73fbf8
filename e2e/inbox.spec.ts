import { createHash } from "node:crypto";
import type { Page } from "@playwright/test";
import { createUser, database, expect, SAME_ORIGIN, signInAs, test } from "./fixtures";

/** A live spec the demo's @acme/payments team owns. */
async function paymentsSpec() {
  const { rows } = await database().query<{ id: string; path: string }>(
    `SELECT id, path FROM "Spec" WHERE NOT deleted AND owners @> ARRAY['@acme/payments'] AND kind = 'spec' ORDER BY path LIMIT 1`,
  );
  expect(rows, "the demo workspace has a spec owned by @acme/payments").toHaveLength(1);
  return rows[0];
}

/** The navigation's inbox count on the current page (0 when the badge is absent). */
async function navCount(page: Page): Promise<number> {
  const badge = page.getByTestId("inbox-count");
  return (await badge.count()) === 0 ? 0 : Number(await badge.textContent());
}

test("the inbox: a proposal waits for its owner until they decide; the decision is news to the author until they open the change", async ({ page }) => {
  const spec = await paymentsSpec();
  const author = await createUser("maintainer");
  const owner = await createUser("reviewer");
  await database().query(`INSERT INTO "TeamMember" ("teamId", "userId") SELECT id, $1 FROM "Team" WHERE slug = '@acme/payments'`, [owner.id]);
  const title = `Inbox ${Date.now().toString(36)}`;
  const content = `# Inbox\n\n${title}\n`;

  await signInAs(page, author);
  const created = await page.request.post("/api/v1/changes", { headers: SAME_ORIGIN, data: { specId: spec.id, title, content } });
  expect(created.status()).toBe(201);
  const { number } = (await created.json()) as { number: number };

  // The owner: the count in the navigation links to the inbox, which lists the proposal.
  await signInAs(page, owner);
  await page.goto("/");
  const before = await navCount(page);
  expect(before).toBeGreaterThanOrEqual(1);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /Inbox/ }).click();
  await expect(page).toHaveURL(/\/inbox$/);
  await expect(page.getByTestId("inbox-review").getByRole("link", { name: title })).toBeVisible();

  const decided = await page.request.post(`/api/v1/changes/${number}/decisions`, {
    headers: SAME_ORIGIN,
    data: { kind: "request_changes", contentHash: createHash("sha256").update(content).digest("hex"), body: "Say more." },
  });
  expect(decided.status()).toBe(201);
  await page.goto("/inbox");
  await expect(page.getByTestId("inbox-review").getByRole("link", { name: title })).toHaveCount(0);
  expect(await navCount(page)).toBe(before - 1);

  // The author: the decision is news, until they open the change.
  await signInAs(page, author);
  await page.goto("/inbox");
  const news = page.getByTestId("inbox-updates").getByRole("row").filter({ hasText: title });
  await expect(news).toContainText("1 new");
  await expect(news).toContainText(`${owner.email} requested changes`);
  const withNews = await navCount(page);
  expect(withNews).toBeGreaterThanOrEqual(1);
  await news.getByRole("link", { name: title }).click();
  await expect(page).toHaveURL(new RegExp(`/changes/${number}$`));
  await page.goto("/inbox");
  await expect(page.getByTestId("inbox-updates").getByRole("link", { name: title })).toHaveCount(0);
  expect(await navCount(page)).toBe(withNews - 1);
});

test("a viewer owner sees findings on the specs they own but nothing to review", async ({ page }) => {
  const watcher = await createUser("viewer");
  await database().query(`INSERT INTO "TeamMember" ("teamId", "userId") SELECT id, $1 FROM "Team" WHERE slug = '@acme/payments'`, [watcher.id]);
  const { rows } = await database().query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "Finding" f JOIN "Spec" s ON s.id = f."specId" WHERE f.status = 'open' AND NOT s.deleted AND s.owners @> ARRAY['@acme/payments']`,
  );
  await signInAs(page, watcher);
  await page.goto("/inbox");
  await expect(page.getByTestId("inbox-review")).toContainText("Nothing is waiting for your review.");
  await expect(page.getByTestId("inbox-findings-count")).toHaveText(String(rows[0].n));
  expect(await navCount(page)).toBe(rows[0].n);
});

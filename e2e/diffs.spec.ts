import { createUser, database, expect, SAME_ORIGIN, signInAs, test } from "./fixtures";

async function paymentsSpec() {
  const { rows } = await database().query<{ id: string }>(
    `SELECT id FROM "Spec" WHERE NOT deleted AND owners @> ARRAY['@acme/payments'] AND kind = 'spec' ORDER BY path LIMIT 1`,
  );
  expect(rows).toHaveLength(1);
  return rows[0];
}

const numbered = (n: number, edit: (i: number) => string = (i) => `Line ${i} of the settlement rules.`) =>
  Array.from({ length: n }, (_, i) => edit(i + 1)).join("\n") + "\n";

test("a reviewer reads hunks with collapsed context, switches layout, and sees only the changes since their last review", async ({ page }) => {
  const spec = await paymentsSpec();
  const [maintainer, reviewer] = await Promise.all([createUser("maintainer"), createUser("reviewer")]);
  const first = numbered(60, (i) => (i === 30 ? "Refunds settle within 5 days." : `Line ${i} of the settlement rules.`));
  const second = first.replace("Line 50 of the settlement rules.", "Chargebacks settle within 10 days.");

  await signInAs(page, maintainer);
  const created = await page.request.post("/api/v1/changes", { headers: SAME_ORIGIN, data: { specId: spec.id, title: "Settlement", content: first } });
  expect(created.status()).toBe(201);
  const { number } = (await created.json()) as { number: number };

  await signInAs(page, reviewer);
  await page.goto(`/changes/${number}`);
  const review = page.getByRole("form", { name: "Review" });
  await review.getByRole("textbox", { name: /Comment/ }).fill("What about chargebacks?");
  await review.getByRole("button", { name: "Comment", exact: true }).click();
  await expect(page.getByTestId("review-timeline")).toContainText("commented on revision 1");

  await signInAs(page, maintainer);
  expect((await page.request.post(`/api/v1/changes/${number}/revisions`, { headers: SAME_ORIGIN, data: { content: second } })).status()).toBe(201);

  await signInAs(page, reviewer);
  await page.goto(`/changes/${number}`);
  await page.getByRole("link", { name: "Changes since your last review (revision 1)" }).click();
  await expect(page).toHaveURL(new RegExp(`/changes/${number}\\?from=1&to=2$`));
  await expect(page.getByTestId("diff-title")).toHaveText("Changes from revision 1 to revision 2");
  const diff = page.getByTestId("diff");
  await expect(diff.locator("tr[data-kind=added]")).toHaveText([/Chargebacks settle within 10 days\./]);
  await expect(diff).not.toContainText("Refunds settle within 5 days.");

  // Unchanged lines far from the change are collapsed until expanded.
  await expect(diff).not.toContainText("Line 20 of the settlement rules.");
  await expect(diff.getByTestId("hunk-header").first()).toHaveText(/^@@ -47,7 \+47,7 @@$/);
  await diff.getByRole("button", { name: /Expand 46 unchanged lines/ }).click();
  await expect(diff).toContainText("Line 20 of the settlement rules.");

  // Split and unified layouts.
  await diff.getByRole("button", { name: "Split" }).click();
  await expect(page.getByTestId("diff-view")).toHaveAttribute("data-mode", "split");
  await expect(diff.getByRole("button", { name: "Split" })).toHaveAttribute("aria-pressed", "true");
  await expect(diff.locator("td[data-kind=removed]")).toHaveText(["Line 50 of the settlement rules."]);
  await diff.getByRole("button", { name: "Unified" }).click();
  await expect(page.getByTestId("diff-view")).toHaveAttribute("data-mode", "unified");

  // Any two revisions: back to the whole change.
  await page.getByRole("link", { name: "Show the whole change" }).click();
  await expect(page.getByTestId("diff")).toContainText("Refunds settle within 5 days.");
});

import { SAME_ORIGIN, database, expect, insertRepository, test } from "./fixtures";

test("the repository page shows its governed files as a tree whose count agrees with the API, its findings and owners, and how long imports took", async ({
  page,
  signIn,
}) => {
  await signIn("viewer");
  await page.goto("/repositories");
  await page.getByRole("link", { name: "payments-service" }).first().click();
  await expect(page).toHaveURL(/\/repositories\/[^/]+$/);
  const repositoryId = page.url().split("/").pop()!;

  const tree = page.getByTestId("file-tree");
  await expect(tree.getByText("specs/", { exact: false }).first()).toBeVisible();
  const checkout = tree.locator('[data-path="specs/001-checkout/spec.md"]');
  await expect(checkout.getByRole("link", { name: "spec.md" })).toBeVisible();
  await expect(checkout).toContainText(/unreviewed|approved|proposed|rejected/);
  const api = (await (await page.request.get(`/api/v1/specs?repositoryId=${repositoryId}`)).json()) as { total: number };
  await expect(tree.locator("[data-path]")).toHaveCount(api.total);

  // The findings figure is the filtered list's total.
  const findings = page.getByTestId("repository-findings");
  const figure = Number((await findings.getByRole("link").first().textContent())!.match(/\d+/)![0]);
  await findings.getByRole("link").first().click();
  await expect(page).toHaveURL(/\/findings\?repository=payments-service$/);
  await expect(page.getByTestId("findings-total")).toContainText(`${figure} finding`);
  await page.goBack();
  await expect(page.getByTestId("repository-owners")).toBeVisible();
  await expect(page.getByTestId("import-history").getByRole("columnheader", { name: "Took" })).toBeVisible();
  await expect(page.getByTestId("import-history").getByRole("row").nth(1)).toContainText(/\d+ (ms|s)/);
});

test("an admin removes a repository whose first import failed, after typing its name; the audit log records it", async ({ page, signIn }) => {
  await signIn("admin");
  const repository = await insertRepository("failed");
  await page.goto(`/repositories/${repository.id}`);
  await expect(page.getByRole("heading", { name: "The first import failed" })).toBeVisible();
  await page.getByRole("button", { name: "Delete…" }).click();
  const form = page.getByRole("dialog", { name: "Delete this repository?" }).getByRole("form", { name: "Delete repository" });
  const button = form.getByRole("button", { name: "Delete repository" });
  await form.getByLabel(/Type .* to delete it/).fill(repository.name.toUpperCase());
  await expect(button).toBeDisabled();
  await form.getByLabel(/Type .* to delete it/).fill(repository.name);
  await button.click();
  await expect(page).toHaveURL(/\/repositories\?deleted=/);
  await expect(page.getByRole("status")).toContainText(`Deleted ${repository.name}`);
  await expect(page.getByTestId("repositories")).not.toContainText(repository.name);
  const { rows } = await database().query(`SELECT 1 FROM "AuditEvent" WHERE subject = $1 AND action = 'repository.deleted'`, [`repository:${repository.id}`]);
  expect(rows).toHaveLength(1);
});

test("a maintainer archives a repository: it leaves the list, stays reachable under Archived, and comes back when unarchived", async ({ page, signIn }) => {
  await signIn("maintainer");
  const repository = await insertRepository("imported");
  await page.goto(`/repositories/${repository.id}`);
  await expect(page.getByRole("button", { name: "Delete…" })).toHaveCount(0);
  await page.getByRole("button", { name: "Archive", exact: true }).click();
  await page.getByRole("dialog", { name: "Archive this repository?" }).getByRole("button", { name: "Archive repository" }).click();
  await expect(page.getByTestId("archived-notice")).toBeVisible();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await page.goto("/repositories");
  await expect(page.getByTestId("repositories")).not.toContainText(repository.name);
  await page.getByTestId("archived-link").click();
  await page.getByRole("link", { name: repository.name }).click();
  await page.getByRole("button", { name: "Unarchive", exact: true }).click();
  await page.getByRole("dialog", { name: "Unarchive this repository?" }).getByRole("button", { name: "Unarchive repository" }).click();
  await expect(page.getByTestId("archived-notice")).toHaveCount(0);
  await page.goto("/repositories");
  await expect(page.getByTestId("repositories")).toContainText(repository.name);
});

test("a viewer can neither archive nor delete, through the page or the API", async ({ page, signIn }) => {
  await signIn("viewer");
  const repository = await insertRepository("failed");
  await page.goto(`/repositories/${repository.id}`);
  await expect(page.getByRole("button", { name: "Archive" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Delete…" })).toHaveCount(0);
  expect(
    (await page.request.post(`/api/v1/repositories/${repository.id}/delete`, { headers: SAME_ORIGIN, data: { confirmName: repository.name } })).status(),
  ).toBe(403);
  expect((await page.request.post(`/api/v1/repositories/${repository.id}/archive`, { headers: SAME_ORIGIN, data: { archived: true } })).status()).toBe(403);
});

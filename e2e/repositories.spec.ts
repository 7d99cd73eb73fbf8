import { expect, test } from "./fixtures";

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

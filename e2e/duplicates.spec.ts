import { expect, test } from "./fixtures";

test("the demo's copied-and-edited checkout spec shows as a duplicate cluster, with a side-by-side diff", async ({ page, signIn }) => {
  await signIn("viewer");
  await page.goto("/duplicates");
  const cluster = page.getByTestId("duplicate-clusters").locator("section").filter({ hasText: "orders-service:specs/checkout/spec.md" });
  await expect(cluster).toContainText("payments-service:specs/001-checkout/spec.md");
  await expect(cluster).toContainText(/at least \d+% alike/);
  // A viewer reads, but does not dismiss.
  await expect(cluster.getByRole("button", { name: "Dismiss" })).toHaveCount(0);
  await cluster.getByRole("link", { name: "Compare side by side" }).click();
  await expect(page.getByRole("heading", { name: "Compare specs" })).toBeVisible();
  await expect(page.getByTestId("diff")).toContainText(/lines/);
});

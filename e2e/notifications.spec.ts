import { expect, test } from "./fixtures";

// The e2e server runs with SPECLEDGER_WEBHOOK_ALLOW=127.0.0.1 (scripts/test.mjs), so a local URL can be saved.
test("an admin subscribes a URL, sees the secret once, opens its delivery log and disables it", async ({ page, signIn }) => {
  await signIn("admin");
  await page.goto("/settings/notifications");
  const form = page.getByRole("form", { name: "Create subscription" });

  await form.getByLabel("URL (https)").fill("https://10.0.0.1/hook");
  await form.getByLabel("gate.denied").check();
  await form.getByRole("button", { name: "Subscribe" }).click();
  await expect(form.locator("p[role=alert]")).toContainText("private");

  const url = `http://127.0.0.1:9/e2e-${Date.now().toString(36)}`;
  await form.getByLabel("URL (https)").fill(url);
  await form.getByLabel("gate.denied").check();
  await form.getByRole("button", { name: "Subscribe" }).click();
  await expect(page.getByTestId("new-secret")).toHaveText(/^whsec_/);
  const row = page.getByTestId("subscriptions").getByRole("row").filter({ hasText: url });
  await expect(row).toContainText("gate.denied");

  // A fresh load: the secret is gone for good.
  await page.goto("/settings/notifications");
  await expect(page.getByTestId("new-secret")).toHaveCount(0);
  await page.getByRole("link", { name: url }).click();
  await expect(page.getByRole("heading", { name: "Delivery log" })).toBeVisible();
  await expect(page.getByText("Nothing sent yet")).toBeVisible();

  await page.goto("/settings/notifications");
  await page.getByRole("button", { name: `Disable ${url}` }).click();
  await expect(page.getByTestId("subscriptions").getByRole("row").filter({ hasText: url })).toContainText("disabled");
});

test("notifications are not there for a viewer", async ({ page, signIn }) => {
  await signIn("viewer");
  expect((await page.goto("/settings/notifications"))?.status()).toBe(404);
  await page.goto("/settings/tokens");
  const settings = page.getByRole("navigation", { name: "Settings" });
  await expect(settings.getByRole("link", { name: "API tokens" })).toBeVisible();
  await expect(settings.getByRole("link", { name: "Notifications" })).toHaveCount(0);
});

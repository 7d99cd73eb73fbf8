import { expect, test } from "./fixtures";

test("a viewer is offered only the scopes they can use", async ({ page, signIn }) => {
  await signIn("viewer");
  await page.goto("/settings/tokens");
  const scopes = page.getByRole("group", { name: "Scopes" }).getByRole("checkbox");
  await expect(scopes).toHaveCount(1);
  await expect(page.getByRole("checkbox", { name: /specs:read/ })).toBeVisible();
  await expect(page.getByRole("checkbox", { name: /deployments:write|admin/ })).toHaveCount(0);
});

test("a new token comes with a copy button and the exact CLI login line", async ({ page, context, signIn }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signIn("maintainer");
  await page.goto("/settings/tokens");
  await expect(page.getByRole("group", { name: "Scopes" }).getByRole("checkbox")).toHaveCount(7);
  await page.getByLabel("Name").fill("laptop");
  await page.getByRole("checkbox", { name: /specs:read/ }).check();
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();
  expect(token).toMatch(/^sl_/);
  const origin = new URL(page.url()).origin;
  await expect(page.getByTestId("login-command")).toHaveText(`npx specledger login --server ${origin} --token ${token}`);

  await page.getByRole("button", { name: "Copy the token" }).click();
  await expect(page.getByText("Copied.")).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
});

import { expect, test } from "./fixtures";

test("an admin sees the audit chain verified, with their own sign-in in it", async ({ page, signIn }) => {
  const admin = await signIn("admin");
  await page.goto("/settings/audit");
  await expect(page.getByTestId("audit-verification")).toHaveAttribute("data-ok", "true");
  await expect(page.getByText("chain verified")).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: admin.email }).filter({ hasText: "user.signed_in" }).first()).toBeVisible();

  const checkpoint = await page.request.get("/api/v1/audit/checkpoint");
  expect(checkpoint.status()).toBe(200);
  const body = await checkpoint.json();
  expect(body).toMatchObject({ algorithm: "Ed25519" });
  expect(body.checkpoint.head).toMatch(/^[0-9a-f]{64}$/);
});

test("the audit log is not there for anyone but admins", async ({ page, signIn }) => {
  await signIn("maintainer");
  const response = await page.goto("/settings/audit");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("link", { name: "Audit log" })).toHaveCount(0);
  expect((await page.request.get("/api/v1/audit/verify")).status()).toBe(403);
  expect((await page.request.get("/api/v1/audit/checkpoint")).status()).toBe(403);
});

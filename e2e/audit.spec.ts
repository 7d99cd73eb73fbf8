import { SAME_ORIGIN, expect, test } from "./fixtures";

test("an admin sees the audit chain verified, with their own sign-in in it", async ({ page, signIn }) => {
  const admin = await signIn("admin");
  await page.goto("/settings/audit");
  await expect(page.getByTestId("audit-verification")).toHaveAttribute("data-ok", "true");
  await expect(page.getByText("chain verified")).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: admin.email }).filter({ hasText: "user.signed_in" }).first()).toBeVisible();

  // The whole chain on request, and the page says when that last happened.
  await page.getByRole("link", { name: "Verify the whole chain" }).click();
  await expect(page).toHaveURL(/\/settings\/audit\?full=1$/);
  await expect(page.getByTestId("audit-verification")).toHaveAttribute("data-mode", "full");
  await expect(page.getByTestId("audit-verification")).toHaveAttribute("data-ok", "true");
  await expect(page.getByTestId("audit-last-full-check")).toContainText("Last fully verified");

  // A checkpoint the server just signed verifies through the API.

  const checkpoint = await page.request.get("/api/v1/audit/checkpoint");
  expect(checkpoint.status()).toBe(200);
  const body = await checkpoint.json();
  expect(body).toMatchObject({ algorithm: "Ed25519" });
  expect(body.checkpoint.head).toMatch(/^[0-9a-f]{64}$/);
  const verified = await page.request.post("/api/v1/audit/verify", { data: body, headers: SAME_ORIGIN });
  expect(verified.status()).toBe(200);
  expect(await verified.json()).toMatchObject({ ok: true, signedBy: "this server" });
});

test("the audit log is not there for anyone but admins", async ({ page, signIn }) => {
  await signIn("maintainer");
  const response = await page.goto("/settings/audit");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("link", { name: "Audit log" })).toHaveCount(0);
  expect((await page.request.get("/api/v1/audit/verify")).status()).toBe(403);
  expect((await page.request.get("/api/v1/audit/checkpoint")).status()).toBe(403);
  expect((await page.request.post("/api/v1/audit/verify", { data: {} })).status()).toBe(403);
});

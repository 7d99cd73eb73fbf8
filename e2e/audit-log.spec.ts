import { expect, test } from "./fixtures";

test("an admin filters the audit log by actor and event type, sees names instead of ids, and exports the same events as JSON Lines", async ({
  page,
  signIn,
}) => {
  const admin = await signIn("admin");
  await page.goto("/settings/audit");
  const filters = page.getByRole("search", { name: "Filter the audit log" });
  await filters.getByLabel("Actor").selectOption(admin.email);
  await filters.getByLabel("Event type").selectOption("user.signed_in");
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/actor=.*action=user\.signed_in/);

  const rows = page.getByTestId("audit-events").locator("tr[data-seq]");
  await expect(rows).toHaveCount(1);
  // The actor by name, and the subject (the admin) by name with a link.
  await expect(rows.first()).toContainText(admin.name);
  await expect(rows.first().getByRole("link", { name: new RegExp(admin.name) })).toBeVisible();

  const href = await page.getByTestId("audit-export").getAttribute("href");
  expect(href).toContain("action=user.signed_in");
  const exported = await page.request.get(href!);
  expect(exported.status()).toBe(200);
  const lines = (await exported.text())
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as { seq: number; actor: string; action: string });
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ actor: admin.email, action: "user.signed_in", seq: Number(await rows.first().getAttribute("data-seq")) });
});

test("a malformed audit filter is reported, not guessed at; the export refuses it outright", async ({ page, signIn }) => {
  await signIn("admin");
  await page.goto("/settings/audit?since=2026-02-30");
  await expect(page.getByRole("alert").filter({ hasText: "could not be read" })).toBeVisible();
  expect((await page.request.get("/api/v1/audit/export?since=2026-02-30")).status()).toBe(422);
});

test("the JSON Lines export is for admins only", async ({ page, signIn }) => {
  await signIn("maintainer");
  expect((await page.request.get("/api/v1/audit/export")).status()).toBe(403);
});

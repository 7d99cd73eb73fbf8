import type { Locator } from "@playwright/test";
import { createUser, database, expect, signInAs, test } from "./fixtures";

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

const seqsOf = async (rows: Locator) => (await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-seq")))).map(Number);

test("the target filter lists one subject's events, explains the events between them it leaves out, and a day range keeps or drops them", async ({
  page,
  signIn,
}) => {
  const admin = await signIn("admin");
  // Someone else's sign-in falls between the admin's two: the target filter leaves it out.
  await signInAs(page, await createUser("viewer"));
  await signInAs(page, admin);
  const target = `user:${admin.id}`;
  await page.goto("/settings/audit");
  const filters = page.getByRole("search", { name: "Filter the audit log" });
  await filters.getByLabel("Target").fill(target);
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`target=${encodeURIComponent(target)}`));
  const rows = page.getByTestId("audit-events").locator("tr[data-seq]");
  await expect(rows).toHaveCount(2);
  for (const row of await rows.all()) await expect(row).toContainText(target);
  const [newer, older] = await seqsOf(rows);

  // The gap row names the numbers between the two and how many events there the filter hides.
  const { rows: between } = await database().query<{ n: number }>(`SELECT count(*)::int AS n FROM "AuditEvent" WHERE seq > $1 AND seq < $2`, [older, newer]);
  expect(between[0].n).toBeGreaterThanOrEqual(1);
  const gap = page.getByTestId("audit-gap");
  await expect(gap).toHaveCount(1);
  await expect(gap).toContainText(newer - older === 2 ? `#${older + 1}:` : `#${older + 1}–#${newer - 1}:`);
  await expect(gap).toContainText(`${between[0].n} event${between[0].n === 1 ? "" : "s"} the filters leave out`);

  // A range of days: the events' own day keeps both, the day before and the day after drop them.
  const exported = async (search: string) =>
    (await (await page.request.get(`/api/v1/audit/export?${search}`)).text())
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { seq: number; occurredAt: string });
  const events = await exported(`target=${target}`);
  expect(events.map((e) => e.seq)).toEqual([older, newer]);
  const day = events[0].occurredAt.slice(0, 10);
  test.skip(events[1].occurredAt.slice(0, 10) !== day, "the two sign-ins fell on either side of midnight (UTC)");
  const shift = (d: string, days: number) => new Date(Date.parse(`${d}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  await filters.getByLabel("From (UTC)").fill(day);
  await filters.getByLabel("To (UTC)").fill(day);
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`since=${day}&until=${day}`));
  await expect(page.getByRole("alert").filter({ hasText: "could not be read" })).toHaveCount(0);
  expect(await seqsOf(rows)).toEqual([newer, older]);
  expect((await exported(`target=${target}&since=${day}&until=${day}`)).map((e) => e.seq)).toEqual([older, newer]);
  for (const [since, until] of [
    [shift(day, -1), shift(day, -1)],
    [shift(day, 1), shift(day, 2)],
  ]) {
    await page.goto(`/settings/audit?target=${target}&since=${since}&until=${until}`);
    await expect(page.getByText("No events match.")).toBeVisible();
    await expect(rows).toHaveCount(0);
    expect(await exported(`target=${target}&since=${since}&until=${until}`)).toEqual([]);
  }
});

test("Older → pages back through the log: the next 50 events before the last one listed, as the export has them", async ({ page, signIn }) => {
  await signIn("admin");
  await page.goto("/settings/audit");
  const rows = page.getByTestId("audit-events").locator("tr[data-seq]");
  await expect(rows).toHaveCount(50);
  const first = await seqsOf(rows);
  const last = first.at(-1)!;
  await page.getByRole("link", { name: "Older →" }).click();
  await expect(page).toHaveURL(new RegExp(`before=${last}$`));
  await expect(rows.first()).not.toHaveAttribute("data-seq", String(first[0]));
  const second = await seqsOf(rows);
  // Events appended meanwhile are newer than the first page: the older pages do not move.
  const older = (await (await page.request.get(`/api/v1/audit/export?before=${last}`)).text())
    .split("\n")
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { seq: number }).seq);
  expect(second).toEqual(older.slice(-50).reverse());
  expect(Math.max(...second)).toBeLessThan(last);
  await page.getByRole("link", { name: "Newest" }).click();
  await expect(page).toHaveURL(/\/settings\/audit$/);
});

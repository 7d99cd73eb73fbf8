import type { Page } from "@playwright/test";
import { database, expect, insertRepository, test } from "./fixtures";

/** Whether the focused element sits inside an open dialog. */
const focusInDialog = (page: Page) => page.evaluate(() => document.activeElement?.closest("dialog[open]") !== null && document.activeElement !== null);

/** The focused element's accessible-ish name: its aria-label, its label's text, or its own text. */
const focusedName = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return "";
    const labelled = el.getAttribute("aria-label") ?? (el as HTMLInputElement).labels?.[0]?.textContent ?? el.textContent ?? "";
    return labelled.trim().slice(0, 40);
  });

test("a confirmation dialog takes focus, keeps Tab and Shift+Tab inside, closes on Escape and gives focus back to its opener", async ({ page, signIn }) => {
  await signIn("admin");
  const repository = await insertRepository("failed");
  await page.goto(`/repositories/${repository.id}`);
  const opener = page.getByRole("button", { name: "Delete…" });
  await opener.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Delete this repository?" });
  await expect(dialog).toBeVisible();

  // Focus starts on the first control: the confirmation box.
  const confirm = dialog.getByLabel(/Type .* to delete it/);
  await expect(confirm).toBeFocused();
  await confirm.fill(repository.name);
  const inside: string[] = [];
  for (let i = 0; i < 7; i++) {
    await page.keyboard.press("Tab");
    expect(await focusInDialog(page)).toBe(true);
    inside.push(await focusedName(page));
  }
  // Three controls (box, Delete, Cancel): seven Tabs visit each more than once and come back round.
  expect(new Set(inside).size).toBe(3);
  expect(inside.slice(0, 3)).toEqual(inside.slice(3, 6));
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press("Shift+Tab");
    expect(await focusInDialog(page)).toBe(true);
  }

  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();
  // Escape deleted nothing.
  const { rows } = await database().query(`SELECT 1 FROM "Repository" WHERE id = $1`, [repository.id]);
  expect(rows).toHaveLength(1);

  // Cancel closes it too, focus back on the opener.
  await opener.click();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();
});

test("revoking a token asks first: Escape keeps the token working, the dialog's button revokes it", async ({ page, signIn }) => {
  await signIn("reviewer");
  const name = `keyboard ${Date.now().toString(36)}`;
  await page.goto("/settings/tokens");
  await page.getByRole("form", { name: "Create token" }).getByLabel(/^Name/).fill(name);
  await page.getByRole("checkbox", { name: /specs:read/ }).check();
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();
  const auth = { authorization: `Bearer ${token}` };

  const opener = page.getByRole("button", { name: `Revoke ${name}` });
  await opener.click();
  const dialog = page.getByRole("dialog", { name: `Revoke “${name}”?` });
  await expect(dialog).toBeVisible();
  expect(await focusInDialog(page)).toBe(true);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();
  expect((await page.request.get("/api/v1/specs", { headers: auth })).status()).toBe(200);

  await opener.click();
  await dialog.getByRole("button", { name: "Revoke token" }).click();
  await expect(page.getByTestId("tokens")).toContainText("revoked");
  expect((await page.request.get("/api/v1/specs", { headers: auth })).status()).toBe(401);
});

/** Tabs through a page; every stop must be on screen and show a focus indicator (an outline or a ring). */
async function tabThrough(page: Page, stops: number): Promise<{ names: string[]; problems: string[] }> {
  const names: string[] = [];
  const problems: string[] = [];
  for (let i = 0; i < stops; i++) {
    await page.keyboard.press("Tab");
    const stop = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
      const ring = style.boxShadow !== "none" && style.boxShadow !== "";
      const name = (el.getAttribute("aria-label") ?? (el as HTMLInputElement).labels?.[0]?.textContent ?? el.textContent ?? "").trim().slice(0, 40);
      return { tag: el.tagName.toLowerCase(), name, visible: box.width > 0 && box.height > 0, indicator: outline || ring };
    });
    if (!stop) break;
    names.push(stop.name);
    if (!stop.visible) problems.push(`${stop.tag} "${stop.name}" takes focus but is not visible`);
    if (!stop.indicator) problems.push(`${stop.tag} "${stop.name}" shows no focus indicator`);
  }
  return { names, problems };
}

// One test per page, so the workers share them out.
for (const path of ["/", "/repositories", "/specs", "/findings", "/changes?queue=all", "/runs", "/inbox", "/settings/tokens", "/settings/audit", "change"]) {
  test(`${path === "change" ? "a change page" : path} can be walked with Tab, each stop visible and showing where focus is`, async ({ page, signIn }) => {
    test.setTimeout(120_000);
    let target = path;
    if (path === "change") {
      const change = (await database().query<{ n: string }>(`SELECT number::text AS n FROM "Change" ORDER BY number LIMIT 1`)).rows[0]?.n;
      test.skip(!change, "the demo workspace has no change");
      target = `/changes/${change}`;
    }
    await signIn("admin");
    await page.goto(target);
    const walk = await tabThrough(page, 30);
    // The skip link comes first, then the main navigation: the whole app is reachable from any page.
    expect(walk.names[0]).toBe("Skip to content");
    expect(
      walk.names.some((name) => name.startsWith("Findings")),
      walk.names.join(" | "),
    ).toBe(true);
    expect(walk.problems).toEqual([]);
  });
}

test("the diff's layout toggle and the bulk selection work from the keyboard", async ({ page, signIn }) => {
  await signIn("reviewer");
  const change = (await database().query<{ n: string }>(`SELECT number::text AS n FROM "Change" ORDER BY number LIMIT 1`)).rows[0]?.n;
  test.skip(!change, "the demo workspace has no change");
  await page.goto(`/changes/${change}`);
  const split = page.getByRole("group", { name: "Diff layout" }).first().getByRole("button", { name: "Split" });
  await split.focus();
  await page.keyboard.press("Enter");
  await expect(split).toHaveAttribute("aria-pressed", "true");

  await page.goto("/findings?status=open");
  const first = page.getByTestId("findings").locator("tbody tr").first().getByRole("checkbox");
  await first.focus();
  await page.keyboard.press("Space");
  await expect(first).toBeChecked();
  const acknowledge = page.getByRole("button", { name: "Acknowledge 1" });
  await expect(acknowledge).toBeEnabled();
  // Undo the selection without writing: the page's data is shared with other tests.
  await page.keyboard.press("Space");
  await expect(page.getByRole("button", { name: "Acknowledge", exact: true })).toBeDisabled();
});

import { expect, insertRepository, test } from "./fixtures";

test("an admin sets a repository's ticket policy; a refusal shows inline and keeps what was typed", async ({ page, signIn }) => {
  await signIn("admin");
  const repo = await insertRepository("imported");
  await page.goto("/settings/runs");
  const form = page.getByRole("form", { name: `Ticket policy of ${repo.name}` });
  await form.getByLabel(`Issue key prefixes of ${repo.name}`).fill("abc");
  await form.getByLabel(`URL template of ${repo.name}`).fill("https://tracker.example/browse/{key}");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("alert")).toContainText("upper-case letters");
  // The refused submit keeps both fields as typed.
  await expect(form.getByLabel(`Issue key prefixes of ${repo.name}`)).toHaveValue("abc");
  await expect(form.getByLabel(`URL template of ${repo.name}`)).toHaveValue("https://tracker.example/browse/{key}");

  await form.getByLabel(`Issue key prefixes of ${repo.name}`).fill("ABC, OPS");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("status")).toHaveText("Saved.");
  await page.goto("/settings/runs");
  await expect(page.getByRole("form", { name: `Ticket policy of ${repo.name}` }).getByLabel(`Issue key prefixes of ${repo.name}`)).toHaveValue("ABC, OPS");
  await page
    .getByRole("form", { name: `Ticket policy of ${repo.name}` })
    .getByRole("button", { name: "Turn off" })
    .click();
  await expect(page.getByRole("form", { name: `Ticket policy of ${repo.name}` }).getByRole("status")).toHaveText("Saved.");
  await page.goto("/settings/runs");
  await expect(page.getByRole("form", { name: `Ticket policy of ${repo.name}` }).getByLabel(`Issue key prefixes of ${repo.name}`)).toHaveValue("");
});

test("the last-green minimum refuses 0 inline and keeps it", async ({ page, signIn }) => {
  await signIn("admin");
  await page.goto("/settings/runs");
  const form = page.getByRole("form", { name: "Last green policy" });
  const field = form.getByLabel("Succeeded runs a version needs");
  // The browser's own range check would stop 0 before the server sees it; the server's refusal is what is tested.
  await field.evaluate((input: HTMLInputElement) => input.removeAttribute("min"));
  await field.fill("0");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("alert")).toContainText("minSucceeded");
  await expect(field).toHaveValue("0");
});

test("the runs and tickets settings are not there for a maintainer", async ({ page, signIn }) => {
  await signIn("maintainer");
  expect((await page.goto("/settings/runs"))?.status()).toBe(404);
});

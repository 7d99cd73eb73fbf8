import { expect, insertRepository, test } from "./fixtures";

test("an admin requires issue keys in a repository; a refusal shows inline and keeps what was typed; turned off, it is offered again", async ({
  page,
  signIn,
}) => {
  await signIn("admin");
  const repo = await insertRepository("imported");
  await page.goto("/settings/runs");
  // A repository without a policy is chosen in one form, not given a form of its own.
  await expect(page.getByRole("form", { name: `Ticket policy of ${repo.name}` })).toHaveCount(0);
  const add = page.getByRole("form", { name: "Require issue keys in a repository" });
  await add.getByLabel("Repository").selectOption({ label: repo.name });
  await add.getByLabel("Issue key prefixes").fill("abc");
  await add.getByLabel("URL template").fill("https://tracker.example/browse/{key}");
  await add.getByRole("button", { name: "Require" }).click();
  await expect(add.getByRole("alert")).toContainText("upper-case letters");
  // The refused submit keeps the fields as typed.
  await expect(add.getByLabel("Repository")).toHaveValue(repo.id);
  await expect(add.getByLabel("Issue key prefixes")).toHaveValue("abc");
  await expect(add.getByLabel("URL template")).toHaveValue("https://tracker.example/browse/{key}");

  await add.getByLabel("Issue key prefixes").fill("ABC, OPS");
  await add.getByRole("button", { name: "Require" }).click();
  await expect(add.getByRole("status")).toHaveText("Saved.");
  await page.goto("/settings/runs");
  const form = page.getByRole("form", { name: `Ticket policy of ${repo.name}` });
  await expect(form.getByLabel(`Issue key prefixes of ${repo.name}`)).toHaveValue("ABC, OPS");
  await expect(form.getByLabel(`URL template of ${repo.name}`)).toHaveValue("https://tracker.example/browse/{key}");
  await form.getByRole("button", { name: "Turn off" }).click();
  // Turned off, the repository leaves the list of policies and is offered in the picker again.
  await expect(page.getByRole("form", { name: `Ticket policy of ${repo.name}` })).toHaveCount(0);
  await page.goto("/settings/runs");
  await expect(page.getByRole("form", { name: `Ticket policy of ${repo.name}` })).toHaveCount(0);
  await expect(page.getByRole("form", { name: "Require issue keys in a repository" }).getByRole("option", { name: repo.name })).toHaveCount(1);
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

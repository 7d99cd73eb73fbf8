import { createUser, expect, test } from "./fixtures";

test("an admin creates a team, adds a member and changes a role", async ({ page, signIn }) => {
  await signIn("admin");
  const member = await createUser("viewer");
  const slug = `@acme/e2e-${Date.now().toString(36)}`;
  await page.goto("/settings/teams");
  await page.getByLabel("Team (as in CODEOWNERS)").fill("no-at-sign");
  await page.getByLabel("Name (optional)").fill("Payments crew");
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page.locator("p[role=alert]")).toContainText("@org/team");
  // A refusal keeps what was typed (React would otherwise reset the form after its action).
  await expect(page.getByLabel("Team (as in CODEOWNERS)")).toHaveValue("no-at-sign");
  await expect(page.getByLabel("Name (optional)")).toHaveValue("Payments crew");

  await page.getByLabel("Team (as in CODEOWNERS)").fill(slug);
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page.getByRole("heading", { name: slug })).toBeVisible();
  // A success empties the form for the next team.
  await expect(page.getByLabel("Team (as in CODEOWNERS)")).toHaveValue("");
  await page.getByLabel(`Email to add to ${slug}`).fill(member.email);
  await page
    .getByRole("form", { name: `Add member to ${slug}` })
    .getByRole("button", { name: "Add" })
    .click();
  await expect(page.getByRole("list", { name: `Members of ${slug}` })).toContainText(member.email);

  // The people list is paged: find the new member first.
  await page.goto(`/settings/teams?q=${encodeURIComponent(member.email)}`);
  const roleForm = page.getByRole("form", { name: `Change role of ${member.email}` });
  await roleForm.getByLabel(`Role of ${member.email}`, { exact: true }).selectOption("reviewer");
  await roleForm.getByRole("button", { name: "Save" }).click();
  await expect(roleForm.getByRole("status")).toHaveText("Saved");
  // A fresh load of the page (not a reload, which the action's own refresh may abort).
  await page.goto(`/settings/teams?q=${encodeURIComponent(member.email)}`);
  await expect(page.getByRole("row").filter({ hasText: member.email }).getByLabel(`Role of ${member.email}`, { exact: true })).toHaveValue("reviewer");
});

test("teams and roles are not there for a maintainer", async ({ page, signIn }) => {
  await signIn("maintainer");
  expect((await page.goto("/settings/teams"))?.status()).toBe(404);
  await expect(page.getByRole("link", { name: "Teams" })).toHaveCount(0);
});

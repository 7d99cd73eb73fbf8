import { randomUUID } from "node:crypto";
import type { Locator } from "@playwright/test";
import { SAME_ORIGIN, createUser, database, expect, signInAs, test } from "./fixtures";

/** Puts `value` in a field the way a paste or a script would: past the field's maxlength, control characters kept. */
const paste = (field: Locator, value: string) =>
  field.evaluate((el, v) => {
    (el as HTMLInputElement).value = v;
  }, value);

/** Puts `value` in a text area as a paste does, control characters kept: through the native setter and an input event, so React sees it. */
const typeIn = (field: Locator, value: string) =>
  field.evaluate((el, v) => {
    Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value")!.set!.call(el, v);
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }, value);

test("a token name with a pasted NUL or past the limit gets the server's message inline, and no token is created", async ({ page, signIn }) => {
  const user = await signIn("reviewer");
  await page.goto("/settings/tokens");
  const form = page.getByRole("form", { name: "Create token" });
  const name = form.getByLabel(/^Name/);
  // The field's limit is the server's.
  await expect(name).toHaveAttribute("maxlength", "100");
  await form.getByRole("checkbox", { name: /specs:read/ }).check();

  await paste(name, "ci\u0000bot");
  await form.getByRole("button", { name: "Create token" }).click();
  await expect(form.getByRole("alert")).toContainText("NUL");

  await paste(name, "x".repeat(5000));
  await form.getByRole("button", { name: "Create token" }).click();
  await expect(form.getByRole("alert")).toContainText("at most 100 characters");

  const { rows } = await database().query(`SELECT 1 FROM "ApiToken" WHERE "userId" = $1`, [user.id]);
  expect(rows).toHaveLength(0);
  await expect(page.getByTestId("new-token")).toHaveCount(0);
});

test("an absurdly long team name is refused with the limit, and the field's maxlength is that limit", async ({ page, signIn }) => {
  await signIn("admin");
  await page.goto("/settings/teams");
  const slug = page.getByLabel("Team (as in CODEOWNERS)");
  await expect(slug).toHaveAttribute("maxlength", "141");
  const long = `@acme/${"t".repeat(400)}`;
  await paste(slug, long);
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page.locator("p[role=alert]")).toContainText("at most 141 characters");
  const { rows } = await database().query(`SELECT 1 FROM "Team" WHERE slug = $1`, [long]);
  expect(rows).toHaveLength(0);
});

test("a repository name past the limit, or with a NUL, is refused inline without adding anything", async ({ page, signIn }) => {
  await signIn("maintainer");
  await page.goto("/repositories");
  const form = page.getByRole("form", { name: "Add repository" });
  const name = form.getByLabel(/^Name/);
  await expect(name).toHaveAttribute("maxlength", "100");
  const source = `/nowhere/e2e-${randomUUID().slice(0, 8)}`;
  await form.getByLabel("Local path or git URL").fill(source);
  await paste(name, "r".repeat(101));
  await form.getByRole("button", { name: "Add repository" }).click();
  await expect(form.getByRole("alert")).toContainText("100");
  // React resets a form after its action: the source is typed again, as a user would after the message.
  await form.getByLabel("Local path or git URL").fill(source);
  await paste(name, "repo\u0000name");
  await form.getByRole("button", { name: "Add repository" }).click();
  await expect(form.getByRole("alert")).toContainText("NUL");
  const { rows } = await database().query(`SELECT 1 FROM "Repository" WHERE source = $1`, [source]);
  expect(rows).toHaveLength(0);
});

test("a double-clicked Propose opens exactly one change", async ({ page }) => {
  const { rows } = await database().query<{ id: string }>(
    `SELECT id FROM "Spec" WHERE NOT deleted AND owners @> ARRAY['@acme/payments'] AND kind = 'spec' ORDER BY path LIMIT 1`,
  );
  expect(rows).toHaveLength(1);
  const maintainer = await createUser("maintainer");
  await signInAs(page, maintainer);
  const title = `Double click ${randomUUID().slice(0, 8)}`;
  await page.goto(`/specs/${rows[0].id}/propose`);
  const editor = page.getByRole("form", { name: "Propose a change" }).getByRole("textbox").last();
  await editor.fill(`${await editor.inputValue()}\nOne proposal, clicked twice: ${title}.\n`);
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByRole("button", { name: "Propose change" }).dblclick();
  // Proposing also queues the change's findings: on a loaded machine that takes a while.
  await expect(page).toHaveURL(/\/changes\/\d+$/, { timeout: 60_000 });
  const changes = await database().query(`SELECT 1 FROM "Change" WHERE title = $1`, [title]);
  expect(changes.rows).toHaveLength(1);
});

test("a double-clicked Create token makes one token", async ({ page, signIn }) => {
  const user = await signIn("reviewer");
  await page.goto("/settings/tokens");
  const form = page.getByRole("form", { name: "Create token" });
  await form.getByLabel(/^Name/).fill("double click");
  await form.getByRole("checkbox", { name: /specs:read/ }).check();
  await form.getByRole("button", { name: "Create token" }).dblclick();
  await expect(page.getByTestId("new-token")).toBeVisible();
  await expect(page.getByTestId("tokens")).toContainText("double click");
  const { rows } = await database().query(`SELECT 1 FROM "ApiToken" WHERE "userId" = $1`, [user.id]);
  expect(rows).toHaveLength(1);
});

test("pasted binary (a NUL) in the proposal editor or a review comment, and a blank comment, are refused inline; the API shows nothing written", async ({
  page,
}) => {
  const { rows } = await database().query<{ id: string }>(
    `SELECT id FROM "Spec" WHERE NOT deleted AND owners @> ARRAY['@acme/payments'] AND kind = 'spec' ORDER BY path LIMIT 1`,
  );
  expect(rows).toHaveLength(1);
  const [author, reviewer] = await Promise.all([createUser("maintainer"), createUser("reviewer")]);
  await signInAs(page, author);
  const authored = async () => ((await (await page.request.get("/api/v1/changes?queue=authored")).json()) as { total: number }).total;

  await page.goto(`/specs/${rows[0].id}/propose`);
  const proposal = page.getByRole("form", { name: "Propose a change" });
  const editor = proposal.getByRole("textbox").last();
  await typeIn(editor, `${await editor.inputValue()}\nPasted from a binary: \u0000\u0001\u0002\n`);
  await page.getByLabel("Title", { exact: true }).fill(`Binary ${randomUUID().slice(0, 8)}`);
  await proposal.getByRole("button", { name: "Propose change" }).click();
  await expect(proposal.getByRole("alert")).toContainText("NUL");
  await expect(page).toHaveURL(/\/propose$/);
  expect(await authored()).toBe(0);

  // A proposal made properly, for the comments.
  const created = await page.request.post("/api/v1/changes", {
    headers: SAME_ORIGIN,
    data: { specId: rows[0].id, title: `Comments ${randomUUID().slice(0, 8)}`, content: "# Comments\n\nA proposal to comment on.\n" },
  });
  expect(created.status()).toBe(201);
  const { number } = (await created.json()) as { number: number };

  await signInAs(page, reviewer);
  await page.goto(`/changes/${number}`);
  const review = page.getByRole("form", { name: "Review" });
  const comment = review.getByRole("textbox", { name: /Comment/ });
  const send = review.getByRole("button", { name: "Comment", exact: true });
  await send.click();
  await expect(review.getByRole("alert")).toHaveText("A comment needs some text.");
  await comment.fill("  \n\t ");
  await send.click();
  await expect(review.getByRole("alert")).toHaveText("A comment needs some text.");
  await typeIn(comment, "Looks fine\u0000 to me");
  await send.click();
  await expect(review.getByRole("alert")).toContainText("NUL");
  const change = (await (await page.request.get(`/api/v1/changes/${number}`)).json()) as { decisions: unknown[] };
  expect(change.decisions).toEqual([]);
});

import { randomUUID } from "node:crypto";
import { TestRepo } from "../lib/testing/git-repo";
import { KIND_LABELS, type SpecKind } from "../lib/specs/kinds";
import { SAME_ORIGIN, database, expect, insertRepository, test } from "./fixtures";

test("the repository page shows its governed files as a tree whose count agrees with the API, its findings and owners, and how long imports took", async ({
  page,
  signIn,
}) => {
  await signIn("viewer");
  await page.goto("/repositories");
  await page.getByRole("link", { name: "payments-service" }).first().click();
  await expect(page).toHaveURL(/\/repositories\/[^/]+$/);
  const repositoryId = page.url().split("/").pop()!;

  const tree = page.getByTestId("file-tree");
  await expect(tree.getByText("specs/", { exact: false }).first()).toBeVisible();
  const checkout = tree.locator('[data-path="specs/001-checkout/spec.md"]');
  await expect(checkout.getByRole("link", { name: "spec.md" })).toBeVisible();
  await expect(checkout).toContainText(/unreviewed|approved|proposed|rejected/);
  const api = (await (await page.request.get(`/api/v1/specs?repositoryId=${repositoryId}`)).json()) as { total: number };
  await expect(tree.locator("[data-path]")).toHaveCount(api.total);

  // The findings figure is the filtered list's total.
  const findings = page.getByTestId("repository-findings");
  const figure = Number((await findings.getByRole("link").first().textContent())!.match(/\d+/)![0]);
  await findings.getByRole("link").first().click();
  await expect(page).toHaveURL(/\/findings\?repository=payments-service$/);
  await expect(page.getByTestId("findings-total")).toContainText(`${figure} finding`);
  await page.goBack();
  await expect(page.getByTestId("repository-owners")).toBeVisible();
  await expect(page.getByTestId("import-history").getByRole("columnheader", { name: "Took" })).toBeVisible();
  await expect(page.getByTestId("import-history").getByRole("row").nth(1)).toContainText(/\d+ (ms|s)/);
});

test("an admin removes a repository whose first import failed, after typing its name; the audit log records it", async ({ page, signIn }) => {
  await signIn("admin");
  const repository = await insertRepository("failed");
  await page.goto(`/repositories/${repository.id}`);
  await expect(page.getByRole("heading", { name: "The first import failed" })).toBeVisible();
  await page.getByRole("button", { name: "Delete…" }).click();
  const form = page.getByRole("dialog", { name: "Delete this repository?" }).getByRole("form", { name: "Delete repository" });
  const button = form.getByRole("button", { name: "Delete repository" });
  await form.getByLabel(/Type .* to delete it/).fill(repository.name.toUpperCase());
  await expect(button).toBeDisabled();
  await form.getByLabel(/Type .* to delete it/).fill(repository.name);
  await button.click();
  await expect(page).toHaveURL(/\/repositories\?deleted=/);
  await expect(page.getByRole("status")).toContainText(`Deleted ${repository.name}`);
  await expect(page.getByTestId("repositories")).not.toContainText(repository.name);
  const { rows } = await database().query(`SELECT 1 FROM "AuditEvent" WHERE subject = $1 AND action = 'repository.deleted'`, [`repository:${repository.id}`]);
  expect(rows).toHaveLength(1);
});

test("a maintainer archives a repository: it leaves the list, stays reachable under Archived, and comes back when unarchived", async ({ page, signIn }) => {
  await signIn("maintainer");
  const repository = await insertRepository("imported");
  await page.goto(`/repositories/${repository.id}`);
  await expect(page.getByRole("button", { name: "Delete…" })).toHaveCount(0);
  await page.getByRole("button", { name: "Archive", exact: true }).click();
  await page.getByRole("dialog", { name: "Archive this repository?" }).getByRole("button", { name: "Archive repository" }).click();
  await expect(page.getByTestId("archived-notice")).toBeVisible();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await page.goto("/repositories");
  await expect(page.getByTestId("repositories")).not.toContainText(repository.name);
  await page.getByTestId("archived-link").click();
  await page.getByRole("link", { name: repository.name }).click();
  await page.getByRole("button", { name: "Unarchive", exact: true }).click();
  await page.getByRole("dialog", { name: "Unarchive this repository?" }).getByRole("button", { name: "Unarchive repository" }).click();
  await expect(page.getByTestId("archived-notice")).toHaveCount(0);
  await page.goto("/repositories");
  await expect(page.getByTestId("repositories")).toContainText(repository.name);
});

test("a viewer can neither archive nor delete, through the page or the API", async ({ page, signIn }) => {
  await signIn("viewer");
  const repository = await insertRepository("failed");
  await page.goto(`/repositories/${repository.id}`);
  await expect(page.getByRole("button", { name: "Archive" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Delete…" })).toHaveCount(0);
  expect(
    (await page.request.post(`/api/v1/repositories/${repository.id}/delete`, { headers: SAME_ORIGIN, data: { confirmName: repository.name } })).status(),
  ).toBe(403);
  expect((await page.request.post(`/api/v1/repositories/${repository.id}/archive`, { headers: SAME_ORIGIN, data: { archived: true } })).status()).toBe(403);
});

test("a failed first import is fixed with Edit source: the import succeeds, and the page shows kinds and owners per path as the API does", async ({
  page,
  signIn,
}) => {
  await signIn("maintainer");
  const team = `@acme/e2e-${randomUUID().slice(0, 8)}`;
  const repo = TestRepo.create("specledger-e2e-fixed-");
  repo.commit("Add checkout", {
    "specs/001-checkout/spec.md": "# Checkout\n\nCustomers pay by card.\n",
    "specs/001-checkout/plan.md": "# Plan\n\nUse the gateway.\n",
    "AGENTS.md": "# Agents\n\n- Use pnpm.\n",
    ".github/CODEOWNERS": `/specs/ ${team}\n`,
  });
  const repository = await insertRepository("failed");
  await page.goto(`/repositories/${repository.id}`);
  await expect(page.getByRole("heading", { name: "The first import failed" })).toBeVisible();
  const form = page.getByRole("form", { name: "Edit source" });
  await form.getByLabel(/^Source/).fill(repo.path);
  await form.getByRole("button", { name: "Save and import again" }).click();
  const status = page.getByTestId("import-status");
  await expect(status).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
  await expect(status).toContainText("Imported: 1 commit read (1 with spec changes); 3 new versions, 3 new specs.");
  await page.reload();
  await expect(page.getByRole("heading", { name: "The first import failed" })).toHaveCount(0);
  await expect(page.getByText(repo.path, { exact: true })).toBeVisible();

  // Each file's kind and owners in the tree, as the API has them.
  const api = (await (await page.request.get(`/api/v1/specs?repositoryId=${repository.id}`)).json()) as {
    total: number;
    specs: { path: string; kind: SpecKind; owners: string[] }[];
  };
  expect(api.total).toBe(3);
  const tree = page.getByTestId("file-tree");
  for (const spec of api.specs) {
    const row = tree.locator(`[data-path="${spec.path}"]`);
    await expect(row).toContainText(KIND_LABELS[spec.kind]);
    if (spec.path.startsWith("specs/")) await expect(row).toContainText(team);
    else await expect(row).not.toContainText(team);
  }
  const owner = page.getByTestId("repository-owners").getByRole("listitem").filter({ hasText: team });
  await expect(owner).toContainText("2 files");
  await owner.getByRole("link", { name: team }).click();
  await expect(page.getByTestId("spec-total")).toHaveText("2 files");
  repo.remove();
});

test("a scheduled repository shows when it last synced, how often it is fetched, and why it is failing", async ({ page, signIn }) => {
  await signIn("admin");
  const suffix = randomUUID().slice(0, 8);
  const id = `e2e-url-${suffix}`;
  const source = `https://git.example/acme/e2e-${suffix}.git`;
  // Last imported three hours ago and fetched (with nothing new) just now, every 30 minutes: the scheduler leaves it alone during the test.
  await database().query(
    `INSERT INTO "Repository" (id, name, source, "sourceKey", status, "syncIntervalMinutes", "lastSyncAt", "lastImportAt")
     VALUES ($1, $2, $3, $3, 'ready', 30, now(), now() - interval '3 hours')`,
    [id, `e2e-url-${suffix}`, source],
  );
  await page.goto(`/repositories/${id}`);
  await expect(page.getByRole("heading", { name: "Scheduled sync" })).toBeVisible();
  const sync = page.getByRole("main");
  await expect(sync).toContainText("Last synced 3 hours ago.");
  await expect(sync).toContainText("Fetched every 30 minutes; next at");
  const schedule = page.getByRole("form", { name: "Sync schedule" });
  await schedule.getByLabel("Fetch").selectOption("60");
  await schedule.getByRole("button", { name: "Save" }).click();
  await expect(schedule.getByRole("status")).toHaveText("Saved.");
  await page.reload();
  await expect(sync).toContainText("Fetched every 60 minutes; next at");
  const { rows } = await database().query<{ minutes: number }>(`SELECT "syncIntervalMinutes" AS minutes FROM "Repository" WHERE id = $1`, [id]);
  expect(rows[0].minutes).toBe(60);

  await database().query(`UPDATE "Repository" SET "syncFailingSince" = now() - interval '2 hours', "syncFailures" = 3, "lastError" = $2 WHERE id = $1`, [
    id,
    "fatal: unable to access: Could not resolve host: git.example",
  ]);
  await page.reload();
  await expect(sync.getByRole("alert").filter({ hasText: "backing off" })).toContainText(
    "(3 attempts, backing off): fatal: unable to access: Could not resolve host: git.example",
  );
});

test("a double-clicked Archive archives once: one audit event", async ({ page, signIn }) => {
  await signIn("maintainer");
  const repository = await insertRepository("imported");
  await page.goto(`/repositories/${repository.id}`);
  await page.getByRole("button", { name: "Archive", exact: true }).click();
  await page.getByRole("dialog", { name: "Archive this repository?" }).getByRole("button", { name: "Archive repository" }).dblclick();
  await expect(page.getByTestId("archived-notice")).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("archived-notice")).toBeVisible();
  const { rows } = await database().query(`SELECT 1 FROM "AuditEvent" WHERE subject = $1 AND action = 'repository.archived'`, [`repository:${repository.id}`]);
  expect(rows).toHaveLength(1);
});

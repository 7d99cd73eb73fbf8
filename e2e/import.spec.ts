import { TestRepo } from "../lib/testing/git-repo";
import { expect, SAME_ORIGIN, test } from "./fixtures";

test("a maintainer adds a repository by path, watches it import, and diffs two versions of a spec", async ({ page, signIn }) => {
  await signIn("maintainer");
  const repo = TestRepo.create("specledger-e2e-");
  repo.commit("Add checkout spec", {
    "specs/001-checkout/spec.md": "# Checkout\n\n## Requirements\n\n- FR-001: Customers pay by card.\n",
    "specs/001-checkout/plan.md": "# Plan\n\nUse the payments gateway.\n",
    "AGENTS.md": "# Agents\n\n- Use pnpm.\n",
    ".github/CODEOWNERS": "/specs/ @acme/payments\n",
  });
  repo.commit("Refine checkout", {
    "specs/001-checkout/spec.md": "# Checkout\n\n## Requirements\n\n- FR-001: Customers pay by card.\n- FR-002: Customers pay by bank transfer.\n",
  });
  repo.git("mv", "specs/001-checkout", "specs/001-payment");
  repo.commit("Rename the feature");

  await page.goto("/repositories");
  await page.getByLabel("Local path or git URL").fill(repo.path);
  await page.getByRole("button", { name: "Add repository" }).click();
  await expect(page).toHaveURL(/\/repositories\/[\w-]+$/);
  const repositoryUrl = page.url();
  await expect(page.getByTestId("import-status")).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
  await expect(page.getByTestId("import-status")).toContainText("Imported: 3 commits read (3 with spec changes); 6 new versions, 3 new specs.");

  await page.getByRole("link", { name: "Files" }).click();
  await page.getByRole("link", { name: "specs/001-payment/spec.md" }).click();
  await expect(page.getByRole("heading", { name: "Customers" }).or(page.getByRole("heading", { name: "Checkout" }))).toBeVisible();
  await expect(page.getByTestId("owners")).toContainText("owned by @acme/payments");
  await expect(page.getByTestId("owners")).toContainText(".github/CODEOWNERS");
  const timeline = page.getByTestId("timeline");
  await expect(timeline.getByRole("listitem")).toHaveCount(3);
  await expect(timeline).toContainText("renamed from specs/001-checkout/spec.md");

  await timeline.getByRole("link", { name: "diff with version 1" }).click();
  const diff = page.getByTestId("diff");
  await expect(diff).toContainText("FR-002: Customers pay by bank transfer.");
  await expect(page.getByRole("heading", { name: /Changes from version 1 to version 2/ })).toContainText("+1 −0");
  await page.getByRole("button", { name: "Unified" }).click();
  await expect(page.getByTestId("diff-view")).toHaveAttribute("data-mode", "unified");
  await expect(page.getByTestId("diff")).toContainText("FR-002");

  // The pure rename reads as a rename, not as "No changes".
  await timeline.getByRole("link", { name: "diff with version 2" }).click();
  await expect(page.getByTestId("diff")).toContainText("Renamed without changes");
  await expect(page.getByTestId("rename")).toHaveText("Renamed from specs/001-checkout/spec.md to specs/001-payment/spec.md.");

  // Re-scan after a new commit imports only the new version.
  repo.commit("Add refunds", { "specs/001-payment/spec.md": "# Checkout\n\nRefunds too.\n" });
  await page.goto(repositoryUrl);
  await page.getByRole("button", { name: "Re-scan" }).click();
  await expect(page.getByTestId("import-status")).toContainText("Imported: 1 commit read (1 with spec changes); 1 new version, 0 new specs.", {
    timeout: 30_000,
  });
  repo.remove();
});

test("adding a folder that is not a git repository says so", async ({ page, signIn }) => {
  await signIn("admin");
  await page.goto("/repositories");
  await page.getByLabel("Local path or git URL").fill("relative/path");
  await page.getByRole("button", { name: "Add repository" }).click();
  await expect(page.locator("p[role=alert]")).toContainText("must be absolute");

  const notRepo = TestRepo.create("specledger-e2e-plain-");
  await import("node:fs").then((fs) => fs.rmSync(`${notRepo.path}/.git`, { recursive: true }));
  await page.getByLabel("Local path or git URL").fill(notRepo.path);
  await page.getByRole("button", { name: "Add repository" }).click();
  await expect(page.getByTestId("import-status")).toHaveAttribute("data-status", "failed", { timeout: 30_000 });
  await expect(page.locator("p[role=alert]")).toContainText("is not a git repository");
  notRepo.remove();
});

test("a viewer can browse but cannot add repositories", async ({ page, signIn }) => {
  await signIn("viewer");
  await page.goto("/repositories");
  await expect(page.getByRole("heading", { name: "Repositories" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Add repository" })).toHaveCount(0);
  const response = await page.request.post("/api/v1/repositories", { headers: SAME_ORIGIN, data: { source: "/tmp/anything" } });
  expect(response.status()).toBe(403);
});

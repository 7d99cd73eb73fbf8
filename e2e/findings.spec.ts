import { expect, test } from "./fixtures";

// The test database also holds the integration tests' repositories, so this test finds the
// demo's findings by name in the lists the dashboard links to, not by position.
test("the dashboard shows the demo's duplicate, drifted spec, bloated agent file and disagreeing agent files, each linked to its evidence", async ({
  page,
  signIn,
}) => {
  await signIn("viewer");
  await page.goto("/");
  await expect(page.getByTestId("fleet-totals")).toContainText("Open findings");
  for (const type of ["duplicate", "stale", "lint", "competing-instructions"]) {
    await expect(page.getByTestId("attention").locator(`li[data-type="${type}"]`)).toHaveCount(1);
  }
  // The integration tests' own agent files can be larger than the demo's, so only the list's presence is checked here.
  await expect(page.getByTestId("largest-agent-files").getByRole("link").first()).toBeVisible();
  // A real chart: two drawn lines, specs and open findings.
  await expect(page.getByTestId("trend-chart").locator("path.recharts-line-curve")).toHaveCount(2);
  const byType = page.getByTestId("findings-by-type");
  const open = async (typeLink: string, rowText: string[]) => {
    await page.goto("/");
    await byType.getByRole("link", { name: typeLink, exact: true }).click();
    let row = page.getByTestId("findings").locator("tbody tr");
    for (const text of rowText) row = row.filter({ hasText: text });
    await row.first().getByRole("link").first().click();
  };

  // The copied-and-edited checkout spec.
  await open("Duplicate", ["orders-service:specs/checkout/spec.md", "alike"]);
  await expect(page.getByTestId("finding-evidence")).toContainText("payments-service:specs/001-checkout/spec.md");
  await expect(page.getByTestId("finding-evidence").getByRole("link", { name: "Compare side by side" })).toBeVisible();

  // The drifted spec: the commits under the code it governs.
  await open("Stale", ["specs/001-checkout/spec.md"]);
  await expect(page.getByTestId("finding-evidence")).toContainText("src/checkout/**");
  await expect(page.getByTestId("stale-commits").locator("li")).not.toHaveCount(0);
  // A viewer sees the evidence, not the triage buttons.
  await expect(page.getByRole("button", { name: "Acknowledge" })).toHaveCount(0);
  // The spec's page counts its open findings and links back to them.
  await page
    .locator("aside")
    .getByRole("link", { name: /specs\/001-checkout\/spec\.md/ })
    .click();
  await expect(page.getByTestId("spec-findings")).toContainText(/\d+ open findings?/);

  // The bloated agent file.
  await open("Lint", ["web-app", "instructions, above the error threshold"]);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(/\d+ instructions, above the error threshold of 200/);
  // Why it fired and how to silence it, for the file and for the repository.
  await expect(page.getByTestId("finding-why")).toContainText(/\d+ instructions/);
  await expect(page.getByTestId("finding-silence")).toContainText("<!-- specledger-disable agent-instruction-count -->");
  await expect(page.getByTestId("finding-silence")).toContainText(".specledger.yml");

  // The AGENTS.md / CLAUDE.md pair: what each says that the other does not.
  await open("Competing instructions", ["payments-service", "AGENTS.md and CLAUDE.md disagree"]);
  const conflicts = page.getByTestId("conflicts");
  for (const word of ["pnpm", "npm", "Vitest", "Jest"]) await expect(conflicts).toContainText(word);
});

test("findings filter, and a reviewer acknowledges several at once and reopens them", async ({ page, signIn }) => {
  await signIn("reviewer");
  await page.goto("/findings?repository=orders-service&type=broken-reference");
  const rows = page.getByTestId("findings").locator("tbody tr");
  await expect(rows.filter({ hasText: "src/legacy/router.ts" })).toHaveCount(1);
  const count = await rows.count();
  // The bulk buttons wait for a selection, then say how many findings they affect.
  await expect(page.getByRole("button", { name: "Acknowledge" })).toBeDisabled();
  await rows.first().getByRole("checkbox").check();
  await expect(page.getByRole("button", { name: "Acknowledge 1" })).toBeEnabled();
  await expect(page.getByTestId("bulk-selection")).toHaveText("1 finding selected:");
  for (let i = 1; i < count; i++) await rows.nth(i).getByRole("checkbox").check();
  await expect(page.getByRole("button", { name: `Acknowledge ${count}` })).toBeEnabled();
  await page.getByRole("button", { name: "Acknowledge" }).click();
  await expect(page.getByRole("status")).toContainText(`${count} finding${count === 1 ? "" : "s"} acknowledged`);
  await expect(rows.first()).toContainText("acknowledged");

  // Reopen them: the list shows acknowledged ones until then.
  await page.goto("/findings?repository=orders-service&type=broken-reference&status=acknowledged");
  for (let i = 0; i < count; i++) await rows.nth(i).getByRole("checkbox").check();
  await page.getByRole("button", { name: "Reopen" }).click();
  await expect(page.getByRole("status")).toContainText("reopened");

  // A lint finding names its rule, line and fix.
  await page.goto("/findings?type=lint&repository=payments-service");
  await page
    .getByTestId("findings")
    .getByRole("link", { name: /NEEDS CLARIFICATION|Open question/ })
    .first()
    .click();
  await expect(page.getByText("Suggested fix")).toBeVisible();
  await expect(page.getByTestId("finding-evidence")).toContainText("NEEDS CLARIFICATION");
});

test("admins configure the rules and thresholds", async ({ page, signIn }) => {
  await signIn("admin");
  await page.goto("/settings/findings");
  await expect(page.getByTestId("lint-rules")).toContainText("agent-instruction-count");
  // Stale findings count only what a spec declares it governs unless this is turned on (decision 048).
  await expect(page.getByLabel(/Stale: also infer what a spec governs/)).not.toBeChecked();
  await page.getByLabel("Instructions in an agent file: error above").fill("100");
  await page.getByLabel("Instructions in an agent file: warning above").fill("150");
  await page.getByRole("button", { name: "Save and recompute" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "threshold" })).toContainText(/error threshold .* at least the warning threshold/);
  // The refused form keeps what was typed, so it can be corrected rather than typed again.
  await expect(page.getByLabel("Instructions in an agent file: error above")).toHaveValue("100");
  await expect(page.getByLabel("Instructions in an agent file: warning above")).toHaveValue("150");
  // Nothing was saved: a fresh page shows the stored values.
  await page.goto("/settings/findings");
  await expect(page.getByLabel("Instructions in an agent file: error above")).toHaveValue("200");
  await page.getByRole("button", { name: "Save and recompute" }).click();
  await expect(page.getByRole("status")).toContainText("Saved");
});

test("a reviewer may acknowledge a duplicate finding but not dismiss or reopen it: that decides the cluster", async ({ page, signIn }) => {
  await signIn("reviewer");
  await page.goto("/findings?type=duplicate&status=open,acknowledged,dismissed");
  await page.getByTestId("findings").locator("tbody tr").filter({ hasText: "orders-service:specs/checkout/spec.md" }).first().getByRole("link").first().click();
  await expect(page.getByTestId("finding-evidence")).toContainText("payments-service:specs/001-checkout/spec.md");
  await expect(page.getByRole("button", { name: "Dismiss" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Reopen" })).toHaveCount(0);
});

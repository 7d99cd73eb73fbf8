import { SAME_ORIGIN, database, expect, test } from "./fixtures";

test("runs are listed with filters that agree with the API; a run links to the spec versions it loaded, and each version lists its runs", async ({
  page,
  signIn,
}) => {
  await signIn("maintainer");
  const { rows } = await database().query<{ name: string; head: string }>(
    `SELECT name, "headCommit" AS head FROM "Repository" WHERE name = 'payments-service'`,
  );
  const repo = rows[0];
  const agent = `e2e-agent-${Date.now().toString(36)}`;
  const report = async (externalId: string, outcome: string, specs: unknown[]) => {
    const response = await page.request.post("/api/v1/runs", {
      headers: SAME_ORIGIN,
      data: {
        externalId,
        agent,
        outcome,
        repository: repo.name,
        commit: repo.head,
        specs,
        instructions: [{ repository: repo.name, path: "AGENTS.md", commit: repo.head }],
      },
    });
    expect(response.status()).toBe(201);
  };
  await report(`${agent}-ok`, "succeeded", []);
  await report(`${agent}-failed`, "failed", [{ repository: repo.name, path: "specs/001-checkout/spec.md", commit: repo.head }]);

  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Runs" }).click();
  await expect(page).toHaveURL(/\/runs$/);
  const filters = page.getByRole("search", { name: "Filter runs" });
  // By name: the repository list's labels hold repository names, some of which contain "agent".
  await filters.locator('select[name="agent"]').selectOption(agent);
  await filters.getByLabel("Outcome").selectOption("failed");
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`agent=${agent}.*outcome=failed`));
  await expect(page.getByTestId("runs").getByRole("link", { name: `${agent}-failed` })).toBeVisible();
  await expect(page.getByTestId("runs").getByRole("link", { name: `${agent}-ok` })).toHaveCount(0);
  const api = (await (await page.request.get(`/api/v1/runs?agent=${agent}&outcome=failed`)).json()) as { total: number };
  expect(api.total).toBe(1);
  await expect(page.getByTestId("runs-total")).toHaveText("1 run");

  await page
    .getByTestId("runs")
    .getByRole("link", { name: `${agent}-failed` })
    .click();
  await expect(page.getByTestId("run-instructions")).toContainText("payments-service:AGENTS.md");
  await page
    .getByTestId("run-specs")
    .getByRole("link", { name: /payments-service:specs\/001-checkout\/spec\.md v\d+/ })
    .click();
  await expect(page).toHaveURL(/\/specs\/[^/?]+\?v=\d+$/);
  await expect(page.getByTestId("version-runs").getByRole("link", { name: `${agent} · ${agent}-failed` })).toBeVisible();

  // A malformed filter says so instead of quietly showing something else.
  await page.goto("/runs?outcome=won");
  await expect(page.getByRole("alert").filter({ hasText: "could not be read" })).toContainText("outcome");
  expect((await page.request.get("/api/v1/runs?outcome=won")).status()).toBe(422);
});

test("a run that does not exist is a 404 page", async ({ page, signIn }) => {
  await signIn("viewer");
  const response = await page.goto("/runs/no-such-run");
  expect(response?.status()).toBe(404);
});

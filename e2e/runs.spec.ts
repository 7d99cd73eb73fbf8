import { randomUUID } from "node:crypto";
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

test("a spec's page opens the runs of that spec; the spec, repository and until filters agree with the API", async ({ page, signIn }) => {
  await signIn("maintainer");
  const { rows } = await database().query<{ id: string; name: string; head: string }>(
    `SELECT s.id, r.name, r."headCommit" AS head FROM "Spec" s JOIN "Repository" r ON r.id = s."repositoryId"
     WHERE r.name = 'payments-service' AND s.path = 'specs/001-checkout/spec.md'`,
  );
  const { id: specId, name: repository, head } = rows[0];
  const agent = `e2e-agent-${randomUUID().slice(0, 8)}`;
  const other = `e2e-elsewhere-${randomUUID().slice(0, 8)}`;
  const report = async (externalId: string, data: Record<string, unknown>) => {
    const response = await page.request.post("/api/v1/runs", { headers: SAME_ORIGIN, data: { externalId, agent, ...data } });
    expect(response.status()).toBe(201);
  };
  const checkout = { repository, path: "specs/001-checkout/spec.md" };
  // At the head, and at a commit never imported: both used the spec (budgets count both, decision 036).
  await report(`${agent}-head`, { repository, commit: head, specs: [{ ...checkout, commit: head }] });
  await report(`${agent}-unimported`, { repository, specs: [{ ...checkout, commit: "f".repeat(40) }] });
  await report(`${agent}-refunds`, { repository, specs: [{ repository, path: "specs/002-refund-requests/spec.md", commit: head }] });
  await report(`${agent}-elsewhere`, { repository: other });
  const total = async (search: string) => ((await (await page.request.get(`/api/v1/runs?${search}`)).json()) as { total: number }).total;

  await page.goto(`/specs/${specId}`);
  await page.getByTestId("spec-runs-all").click();
  await expect(page).toHaveURL(new RegExp(`/runs\\?spec=${specId}$`));
  await expect(page.getByTestId("runs-reference-filter")).toContainText(`Only runs that used ${repository}:specs/001-checkout/spec.md`);
  const filters = page.getByRole("search", { name: "Filter runs" });
  await filters.locator('select[name="agent"]').selectOption(agent);
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`agent=${agent}.*spec=${specId}`));
  expect(await total(`agent=${agent}&spec=${specId}`)).toBe(2);
  await expect(page.getByTestId("runs-total")).toHaveText("2 runs");
  await expect(page.getByTestId("runs").getByRole("link", { name: `${agent}-refunds` })).toHaveCount(0);

  // Any spec again, then one repository: the runs reported for it, whatever they used.
  await page.getByTestId("runs-reference-filter").getByRole("link", { name: "any spec" }).click();
  await expect(page.getByTestId("runs-total")).toHaveText("4 runs");
  await filters.getByLabel("Repository").selectOption(repository);
  await filters.getByRole("button", { name: "Filter" }).click();
  expect(await total(`agent=${agent}&repository=${repository}`)).toBe(3);
  await expect(page.getByTestId("runs-total")).toHaveText("3 runs");
  await expect(page.getByTestId("runs").getByRole("link", { name: `${agent}-elsewhere` })).toHaveCount(0);

  // Until a day: the day the runs were reported keeps them, the day before leaves none.
  const listed = (await (await page.request.get(`/api/v1/runs?agent=${agent}`)).json()) as { runs: { createdAt: string }[] };
  const day = listed.runs.at(-1)!.createdAt.slice(0, 10);
  expect(
    listed.runs.every((r) => r.createdAt.startsWith(day)),
    "the runs were reported on one UTC day",
  ).toBe(true);
  const before = new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  await filters.getByLabel("To (UTC)").fill(day);
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`until=${day}`));
  await expect(page.getByTestId("runs-total")).toHaveText("3 runs");
  await filters.getByLabel("To (UTC)").fill(before);
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`until=${before}`));
  await expect(page.getByText("No runs match")).toBeVisible();
  expect(await total(`agent=${agent}&repository=${repository}&until=${before}`)).toBe(0);
  expect(await total(`agent=${agent}&repository=${repository}&until=${day}`)).toBe(3);
});

test("a run's page lists the deployments that name it, as the API does", async ({ page, signIn }) => {
  await signIn("maintainer");
  const externalId = `e2e-deployed-${randomUUID().slice(0, 8)}`;
  const reported = await page.request.post("/api/v1/runs", { headers: SAME_ORIGIN, data: { externalId, agent: "e2e-agent", outcome: "succeeded" } });
  expect(reported.status()).toBe(201);
  const run = (await reported.json()) as { id: string };
  await page.goto(`/runs/${run.id}`);
  await expect(page.getByText("No deployment names this run.")).toBeVisible();

  const service = `e2e-svc-${randomUUID().slice(0, 8)}`;
  const deployed = await page.request.post("/api/v1/deployments", {
    headers: SAME_ORIGIN,
    data: { service, environment: "e2e-staging", version: "1.0.0", runs: [run.id] },
  });
  expect(deployed.status()).toBe(201);
  const { id } = (await deployed.json()) as { id: string };
  const api = (await (await page.request.get(`/api/v1/runs/${run.id}`)).json()) as { deployments: { id: string; service: string; live: boolean }[] };
  expect(api.deployments).toEqual([expect.objectContaining({ id, service, live: true })]);

  await page.reload();
  const deployments = page.getByTestId("run-deployments");
  await expect(deployments.getByRole("listitem")).toHaveCount(1);
  await expect(deployments.getByRole("listitem")).toContainText("live");
  await deployments.getByRole("link", { name: `${service} 1.0.0 in e2e-staging` }).click();
  await expect(page).toHaveURL(new RegExp(`/deployments/${id}$`));
});

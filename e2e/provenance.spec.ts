import { expect, test, database } from "./fixtures";

test("a token made in the UI reports a run and a deployment; the deployment page shows the spec versions that shaped it", async ({ page, signIn }) => {
  await signIn("maintainer");
  await page.goto("/settings/tokens");
  await page.getByLabel("Name").fill("e2e CI");
  await page.getByRole("checkbox", { name: /runs:write/ }).check();
  await page.getByRole("checkbox", { name: /deployments:write/ }).check();
  await page.getByRole("checkbox", { name: /specs:read/ }).check();
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();
  expect(token).toMatch(/^sl_[0-9A-Za-z]{39}$/);
  await expect(page.getByTestId("tokens")).toContainText("e2e CI");

  const { rows } = await database().query<{ name: string; head: string }>(
    `SELECT name, "headCommit" AS head FROM "Repository" WHERE name = 'payments-service'`,
  );
  const repo = rows[0];
  const auth = { authorization: `Bearer ${token}` };
  const runResponse = await page.request.post("/api/v1/runs", {
    headers: auth,
    data: {
      externalId: `e2e-${Date.now()}`,
      agent: "claude-code",
      repository: repo.name,
      commit: repo.head,
      specs: [
        { repository: repo.name, path: "specs/001-checkout/spec.md", commit: repo.head },
        { repository: repo.name, path: "specs/002-refund-requests/spec.md", commit: repo.head },
      ],
    },
  });
  expect(runResponse.status()).toBe(201);
  const run = (await runResponse.json()) as { id: string; unresolved: number };
  expect(run.unresolved).toBe(0);
  const service = `e2e-svc-${Date.now().toString(36)}`;
  const deployResponse = await page.request.post("/api/v1/deployments", {
    headers: auth,
    data: { service, environment: "e2e-staging", version: "1.0.0", runs: [run.id] },
  });
  expect(deployResponse.status()).toBe(201);
  const { id } = (await deployResponse.json()) as { id: string };

  await page.goto("/deployments");
  await page.getByRole("link", { name: `${service} 1.0.0` }).click();
  await expect(page).toHaveURL(new RegExp(`/deployments/${id}$`));
  const refs = page.getByTestId("deployment-runs");
  await expect(refs).toContainText("payments-service:specs/001-checkout/spec.md");
  await expect(refs).toContainText("payments-service:specs/002-refund-requests/spec.md");
  await expect(page.getByTestId("gate")).toHaveAttribute("data-ok", "false");

  // The token stops working once revoked.
  await page.goto("/settings/tokens");
  await page.getByRole("button", { name: "Revoke e2e CI" }).click();
  await expect(page.getByTestId("tokens")).toContainText("revoked");
  expect((await page.request.get("/api/v1/runs", { headers: auth })).status()).toBe(401);
});

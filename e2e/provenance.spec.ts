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
  await page.getByRole("dialog", { name: "Revoke “e2e CI”?" }).getByRole("button", { name: "Revoke token" }).click();
  await expect(page.getByTestId("tokens")).toContainText("revoked");
  expect((await page.request.get("/api/v1/runs", { headers: auth })).status()).toBe(401);
});

test("an admin records a waiver on the Deployments page; the deployment's gate says yes by that waiver until it is revoked", async ({
  page,
  signIn,
  baseURL,
}) => {
  await signIn("admin");
  const service = `e2e-waived-${Date.now().toString(36)}`;
  const environment = `e2e-prod-${Date.now().toString(36)}`;
  // Session-cookie writes must come from the app's own origin.
  const recorded = await page.request.post("/api/v1/deployments", {
    headers: { origin: new URL(baseURL!).origin },
    data: { service, environment, version: "1.0.0" },
  });
  expect(recorded.status()).toBe(201);
  const { id } = (await recorded.json()) as { id: string };

  await page.goto(`/deployments/${id}`);
  const gate = page.getByTestId("gate");
  await expect(gate).toHaveAttribute("data-ok", "false");
  await expect(gate).toContainText("its provenance is unknown");

  await page.goto("/deployments");
  const form = page.getByRole("form", { name: "Record a waiver" });
  await form.getByLabel("Service", { exact: true }).fill(service);
  await form.getByLabel("Version", { exact: true }).fill("1.0.0");
  await form.getByLabel("Environment", { exact: true }).fill(environment);
  await form.getByLabel(/^Reason/).fill("release train cannot wait for the e2e review");
  await form.getByRole("button", { name: "Record waiver" }).click();
  await expect(form.getByRole("status")).toContainText("recorded");
  const listed = page.getByTestId("waivers").getByRole("listitem").filter({ hasText: service });
  await expect(listed).toContainText("release train cannot wait for the e2e review");

  await page.goto(`/deployments/${id}`);
  await expect(gate).toHaveAttribute("data-ok", "true");
  await expect(gate).toHaveAttribute("data-waived", "true");
  await expect(gate).toContainText("Yes, by waiver");
  await expect(gate).toContainText("its provenance is unknown");

  await page.goto("/deployments");
  await page
    .getByTestId("waivers")
    .getByRole("listitem")
    .filter({ hasText: service })
    .getByRole("button", { name: /^Revoke waiver/ })
    .click();
  await expect(page.getByTestId("waivers").getByRole("listitem").filter({ hasText: service })).toHaveCount(0);
  await page.goto(`/deployments/${id}`);
  await expect(gate).toHaveAttribute("data-ok", "false");
});

import { createHash } from "node:crypto";
import { SAME_ORIGIN, database, expect, test } from "./fixtures";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

test("a pull-request check has a page that says what fails it and what it affects, agreeing with the API, linked from the repository and the spec", async ({
  page,
  signIn,
}) => {
  await signIn("maintainer");
  const { rows } = await database().query<{ id: string; name: string; head: string; agents: string; spec: string; specId: string }>(
    `SELECT r.id, r.name, r."headCommit" AS head, a.text AS agents, c.text AS spec, s.id AS "specId"
       FROM "Repository" r
       JOIN "Spec" sa ON sa."repositoryId" = r.id AND sa.path = 'AGENTS.md' AND NOT sa.deleted JOIN "Content" a ON a.hash = sa."currentHash"
       JOIN "Spec" s ON s."repositoryId" = r.id AND s.path = 'specs/001-checkout/spec.md' AND NOT s.deleted JOIN "Content" c ON c.hash = s."currentHash"
      WHERE r.name = 'payments-service'`,
  );
  const repo = rows[0];
  // What the CLI would send for a PR that edits the owned checkout spec and deletes a file AGENTS.md names.
  const edited = `${repo.spec}\n- WHEN ${Date.now().toString(36)} THE SYSTEM SHALL wait.\n`;
  const pullRequest = 4000 + Math.floor(Math.random() * 1000);
  const posted = await page.request.post("/api/v1/checks", {
    headers: SAME_ORIGIN,
    data: {
      repository: repo.name,
      base: repo.head,
      head: "c".repeat(40),
      pullRequest,
      files: [{ path: "specs/001-checkout/spec.md", status: "modified", kind: "spec", contentHash: sha256(edited), content: edited, baseContent: repo.spec }],
      unchangedFiles: [
        { path: "AGENTS.md", contentHash: sha256(repo.agents), brokenReferences: [{ line: 3, written: "docs/setup.md", path: "docs/setup.md" }] },
      ],
    },
  });
  expect(posted.status()).toBe(201);
  const answer = await posted.json();
  expect(answer).toMatchObject({ verdict: "fail", url: `/checks/${answer.id}` });

  // From the repository page's list of checks to the check.
  await page.goto(`/repositories/${repo.id}`);
  const row = page
    .getByTestId("checks")
    .getByRole("row")
    .filter({ hasText: `#${pullRequest}` });
  await row.getByRole("link", { name: "failed" }).click();
  await expect(page).toHaveURL(`/checks/${answer.id}`);
  await expect(page.getByRole("heading", { name: `Check of ${repo.name} PR #${pullRequest}` })).toBeVisible();
  // The figures the API answered, in words.
  const blocking = `${answer.summary.blocking} blocking item${answer.summary.blocking === 1 ? "" : "s"}`;
  await expect(page.getByTestId("check-summary")).toContainText(`${answer.summary.files} governed file changed, 1 unchanged file affected: ${blocking}`);
  const spec = page.locator('[data-path="specs/001-checkout/spec.md"]');
  await expect(spec).toContainText("not approved in Specledger");
  await expect(spec.locator('[data-rule="unapproved-owned"]')).toContainText("blocking");
  const agents = page.locator('[data-path="AGENTS.md"]');
  await expect(agents).toContainText("not changed by the pull request");
  await expect(agents.locator('[data-rule="broken-reference"]')).toContainText("line 3: Names docs/setup.md, which this pull request deletes or moves.");

  // The file links to its spec, whose page lists the check and links back.
  await spec.getByRole("link", { name: "specs/001-checkout/spec.md" }).click();
  await expect(page).toHaveURL(new RegExp(`/specs/${repo.specId}`));
  await page
    .getByTestId("spec-checks")
    .getByRole("link", { name: new RegExp(`PR #${pullRequest}`) })
    .click();
  await expect(page).toHaveURL(`/checks/${answer.id}`);

  // An unknown check is the 404 page, not an error.
  expect((await page.goto("/checks/no-such-check"))?.status()).toBe(404);
});

test("the demo workspace's pull-request checks: one fails on an unapproved owned spec, one warns of a spec its code changed without", async ({
  page,
  signIn,
}) => {
  await signIn("viewer");
  const idOf = async (repository: string, pullRequest: number) => {
    const { rows } = await database().query<{ id: string }>(
      `SELECT c.id FROM "Check" c JOIN "Repository" r ON r.id = c."repositoryId" WHERE r.name = $1 AND c."pullRequest" = $2`,
      [repository, pullRequest],
    );
    expect(rows).toHaveLength(1);
    return rows[0].id;
  };
  await page.goto(`/checks/${await idOf("payments-service", 42)}`);
  await expect(page.getByText("failed", { exact: true })).toBeVisible();
  await expect(page.locator('[data-path="specs/001-checkout/spec.md"] [data-rule="unapproved-owned"]')).toContainText("blocking");

  await page.goto(`/checks/${await idOf("orders-service", 17)}`);
  await expect(page.getByText("passed", { exact: true })).toBeVisible();
  const drift = page.locator('[data-path="specs/checkout/spec.md"]');
  await expect(drift).toContainText("not changed by the pull request");
  await expect(drift.locator('[data-rule="spec-drift"]')).toContainText("src/orders/checkout/order-note.ts, but not the spec");
});

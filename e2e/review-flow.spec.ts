import { createUser, database, expect, SAME_ORIGIN, signInAs, test } from "./fixtures";

async function paymentsSpec() {
  const { rows } = await database().query<{ id: string }>(
    `SELECT id FROM "Spec" WHERE NOT deleted AND owners @> ARRAY['@acme/payments'] AND kind = 'spec' ORDER BY path LIMIT 1`,
  );
  expect(rows).toHaveLength(1);
  return rows[0];
}

async function decisions(number: number, kind: string) {
  const { rows } = await database().query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "ReviewDecision" d JOIN "Change" c ON c.id = d."changeId" WHERE c.number = $1 AND d.kind = $2`,
    [number, kind],
  );
  return rows[0].n;
}

test("the review page explains who may act, requires a comment to request changes, clears it, and records a double click once", async ({ page }) => {
  const spec = await paymentsSpec();
  const [maintainer, reviewer, viewer] = await Promise.all([createUser("maintainer"), createUser("reviewer"), createUser("viewer")]);

  await signInAs(page, maintainer);
  const created = await page.request.post("/api/v1/changes", {
    headers: SAME_ORIGIN,
    data: { specId: spec.id, title: `Flow ${Date.now().toString(36)}`, content: `# Flow\n\n${Date.now()}\n` },
  });
  expect(created.status()).toBe(201);
  const { number } = (await created.json()) as { number: number };

  // The author is told why there is no Approve button.
  await page.goto(`/changes/${number}`);
  await expect(page.getByTestId("approve-hint")).toHaveText("You proposed this change; someone else must approve it.");
  await expect(page.getByRole("button", { name: "Approve", exact: true })).toHaveCount(0);

  // A viewer is told which role would let them act.
  await signInAs(page, viewer);
  await page.goto(`/changes/${number}`);
  await expect(page.getByTestId("approve-hint")).toContainText("reviewer, maintainer or admin");
  await expect(page.getByRole("button", { name: "Request changes" })).toHaveCount(0);

  await signInAs(page, reviewer);
  await page.goto(`/changes/${number}`);
  const review = page.getByRole("form", { name: "Review" });
  const comment = review.getByRole("textbox", { name: /Comment/ });

  // Blank and whitespace-only requests are stopped with a message, and nothing is written.
  await review.getByRole("button", { name: "Request changes" }).click();
  await expect(review.getByRole("alert")).toContainText("needs a comment");
  await comment.fill("   \n  ");
  await review.getByRole("button", { name: "Request changes" }).click();
  await expect(review.getByRole("alert")).toContainText("needs a comment");
  expect(await decisions(number, "request_changes")).toBe(0);

  await comment.fill("Name the settlement currency.");
  await review.getByRole("button", { name: "Request changes" }).click();
  await expect(page.getByTestId("changes-requested")).toHaveText(`changes requested by ${reviewer.email}`);
  await expect(comment).toHaveValue("");
  await expect(page.getByTestId("review-timeline")).toContainText(`${reviewer.email} requested changes on revision 1`);
  await expect(page.getByTestId("review-timeline")).toContainText("Name the settlement currency.");

  // A double-clicked comment is recorded once.
  await comment.fill("One comment, clicked twice.");
  await review.getByRole("button", { name: "Comment", exact: true }).dblclick();
  await expect(page.getByTestId("review-timeline")).toContainText("One comment, clicked twice.");
  await expect(comment).toHaveValue("");
  expect(await decisions(number, "comment")).toBe(1);
  expect(await decisions(number, "request_changes")).toBe(1);
});

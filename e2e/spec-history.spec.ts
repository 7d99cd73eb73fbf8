import { execFileSync } from "node:child_process";
import { database, expect, test } from "./fixtures";

test("a spec's history shows each version's commit subject; an old version says which it is and links to the live one and the diff", async ({
  page,
  signIn,
}) => {
  await signIn("viewer");
  const { rows } = await database().query<{ id: string; versionCount: number; source: string }>(
    `SELECT s.id, s."versionCount", r.source FROM "Spec" s JOIN "Repository" r ON r.id = s."repositoryId"
     WHERE r.name = 'payments-service' AND NOT s.deleted AND s."versionCount" > 2 ORDER BY s.path LIMIT 1`,
  );
  const spec = rows[0];
  const versions = await database().query<{ seq: number; commitSha: string; committedAt: Date }>(
    `SELECT seq, "commitSha", "committedAt" FROM "SpecVersion" WHERE "specId" = $1 ORDER BY seq DESC`,
    [spec.id],
  );
  const [live, , ...older] = versions.rows;
  const old = older[0] ?? versions.rows[1];
  const subjectOf = (sha: string) => execFileSync("git", ["-C", spec.source, "log", "-1", "--format=%s", sha], { encoding: "utf8" }).trim();

  await page.goto(`/specs/${spec.id}`);
  await expect(page.getByTestId("old-version-banner")).toHaveCount(0);
  const timeline = page.getByTestId("timeline");
  await expect(timeline.getByTestId("commit-subject").first()).toHaveText(subjectOf(live.commitSha));
  await expect(timeline).toContainText(subjectOf(old.commitSha));
  await expect(timeline).toContainText(old.commitSha.slice(0, 7));

  await timeline.getByRole("link", { name: `Version ${old.seq}`, exact: true }).click();
  const banner = page.getByTestId("old-version-banner");
  await expect(banner).toContainText(`You are viewing version ${old.seq} of ${spec.versionCount} from ${old.committedAt.toISOString().slice(0, 10)}.`);
  await banner.getByRole("link", { name: "Compare with live" }).click();
  await expect(page).toHaveURL(new RegExp(`from=${old.seq}&to=${live.seq}`));
  await expect(page.getByRole("heading", { name: new RegExp(`Changes from version ${old.seq} to version ${live.seq}`) })).toBeVisible();

  await page.goto(`/specs/${spec.id}?v=${old.seq}`);
  await page.getByTestId("old-version-banner").getByRole("link", { name: "View live" }).click();
  await expect(page.getByTestId("old-version-banner")).toHaveCount(0);
  await expect(page.getByText(`Version ${live.seq} ·`)).toBeVisible();
});

test("each version in a spec's history names its author and commit time, as the API does", async ({ page, signIn }) => {
  await signIn("viewer");
  const { rows } = await database().query<{ id: string }>(
    `SELECT s.id FROM "Spec" s JOIN "Repository" r ON r.id = s."repositoryId"
     WHERE r.name = 'payments-service' AND NOT s.deleted AND s."versionCount" > 2 ORDER BY s.path LIMIT 1`,
  );
  const api = (await (await page.request.get(`/api/v1/specs/${rows[0].id}`)).json()) as {
    versions: { seq: number; authorName: string; committedAt: string; commitSha: string }[];
  };
  expect(api.versions.length).toBeGreaterThan(2);
  await page.goto(`/specs/${rows[0].id}`);
  const timeline = page.getByTestId("timeline");
  await expect(timeline.getByRole("listitem")).toHaveCount(api.versions.length);
  for (const v of api.versions) {
    const item = timeline.getByRole("listitem").filter({ has: page.getByRole("link", { name: `Version ${v.seq}`, exact: true }) });
    // Minutes in UTC, as the page writes every time.
    await expect(item).toContainText(`${v.authorName} · ${v.committedAt.slice(0, 16).replace("T", " ")} UTC`);
    await expect(item).toContainText(v.commitSha.slice(0, 7));
  }
});

import { TestRepo } from "../lib/testing/git-repo";
import { expect, SAME_ORIGIN, test } from "./fixtures";

const PAYLOAD = `# Harmless title

<script>window.__xss = "script"</script>

<img src=x onerror="window.__xss = 'img'">

[click me](javascript:window.__xss='link')

<a href="javascript:window.__xss='raw-link'">raw link</a>

<iframe src="javascript:window.__xss='iframe'"></iframe>

Plain **bold** text survives.
`;

test("a spec full of XSS payloads renders as inert text", async ({ page, signIn }) => {
  await signIn("maintainer");
  const repo = TestRepo.create("specledger-e2e-xss-");
  repo.commit("evil spec", { "specs/001-evil/spec.md": PAYLOAD });
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });

  const created = await page.request.post("/api/v1/repositories", { headers: SAME_ORIGIN, data: { source: repo.path } });
  expect(created.status()).toBe(201);
  const { repository } = await created.json();
  await expect
    .poll(async () => (await (await page.request.get(`/api/v1/repositories/${repository.id}`)).json()).repository.status, { timeout: 30_000 })
    .toBe("ready");
  const { specs } = await (await page.request.get(`/api/v1/specs?repositoryId=${repository.id}`)).json();
  await page.goto(`/specs/${specs[0].id}`);

  const article = page.getByTestId("spec-content");
  await expect(article.getByRole("heading", { name: "Harmless title" })).toBeVisible();
  await expect(article.locator("strong")).toHaveText("bold");
  await expect(article.locator("script, iframe, img[onerror]")).toHaveCount(0);
  const hrefs = await article.locator("a").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  expect(hrefs.filter((h) => /javascript:/i.test(h))).toEqual([]);
  await article
    .getByText("click me")
    .click()
    .catch(() => {});
  expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);
  repo.remove();
});

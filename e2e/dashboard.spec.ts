import { TestRepo } from "../lib/testing/git-repo";
import { expect, test } from "./fixtures";

test("the dashboard's numbers open the lists they count, and the trend chart names its axes, units and series", async ({ page, signIn }) => {
  await signIn("viewer");
  await page.goto("/");
  const totals = page.getByTestId("fleet-totals");

  // The Specs card counts every kind but agent files; its list says the same number.
  const specsCard = totals.getByRole("link", { name: /^Specs/ });
  const specs = (await specsCard.textContent())!.replace(/\D/g, "");
  await specsCard.click();
  await expect(page).toHaveURL(/\/specs\?kind=not-agent$/);
  await expect(page.getByTestId("spec-total")).toHaveText(`${Number(specs).toLocaleString("en")} files`);
  await expect(page.getByTestId("spec-list").getByText("Agent instructions", { exact: true })).toHaveCount(0);

  // Every other count opens a list with as many rows (its total; the lists are paged).
  const cards: { name: RegExp; url: RegExp; total: string; unit: string }[] = [
    { name: /^Agent files/, url: /\/specs\?kind=agents$/, total: "spec-total", unit: "files" },
    { name: /^Versions/, url: /\/versions$/, total: "version-total", unit: "versions" },
    { name: /^Owned/, url: /\/specs\?owner=owned$/, total: "spec-total", unit: "files" },
    { name: /^Approved/, url: /\/specs\?review=approved$/, total: "spec-total", unit: "files" },
  ];
  for (const card of cards) {
    await page.goto("/");
    const link = totals.getByRole("link", { name: card.name });
    const text = (await link.textContent())!;
    // A share ("83%") names its count in the card's detail line ("128 of 154 files").
    const count = Number((/([\d,]+) of [\d,]+ files/.exec(text)?.[1] ?? text).replace(/\D/g, ""));
    await link.click();
    await expect(page).toHaveURL(card.url);
    if (count === 0) await expect(page.getByText(/^No (files match|versions)$/)).toBeVisible();
    else await expect(page.getByTestId(card.total)).toHaveText(`${count.toLocaleString("en")} ${card.unit}`);
  }

  await page.goto("/");
  await totals.getByRole("link", { name: /^Open findings/ }).click();
  await expect(page).toHaveURL(/\/findings\?status=open(,|%2C)acknowledged$/);

  // A top spender's run count opens its runs this month, as many as it says (kiro's runs come
  // from the demo only: no other test reports as kiro).
  await page.goto("/");
  const kiro = page.getByTestId("top-spenders").getByRole("listitem").filter({ hasText: /^kiro/ });
  const runs = kiro.getByTestId("spender-runs");
  const said = (await runs.textContent())!;
  await runs.click();
  await expect(page).toHaveURL(/\/runs\?agent=kiro&since=\d{4}-\d{2}-01T00(:|%3A)00/);
  await expect(page.getByTestId("runs-total")).toHaveText(said);

  await page.goto("/");
  const chart = page.getByTestId("trend-chart");
  for (const text of ["Specs (count)", "Open findings (count)", "Week starting (month-day)", "Specs (left axis)", "Open findings (right axis)"]) {
    await expect(chart.getByText(text, { exact: true })).toBeVisible();
  }
});

test("the trend's latest Specs value is the Specs card, and an agent file's line count is its page's", async ({ page, signIn }) => {
  await signIn("viewer");
  await page.goto("/");
  const card = (await page
    .getByTestId("fleet-totals")
    .getByRole("link", { name: /^Specs/ })
    .textContent())!.replace(/\D/g, "");
  const label = await page
    .getByTestId("trend-chart")
    .getByRole("img", { name: /^Weekly trend/ })
    .getAttribute("aria-label");
  expect(/, ([\d,]+) specs and/.exec(label ?? "")?.[1]?.replace(/\D/g, "")).toBe(card);

  const largest = page.getByTestId("largest-agent-files").getByRole("listitem").first();
  const lines = /([\d,]+) lines/.exec((await largest.textContent())!)![1];
  await largest.getByRole("link").first().click();
  await expect(page).toHaveURL(/\/specs\/[^/?]+$/);
  await expect(page.getByTestId("version-lines")).toHaveText(new RegExp(`(^|\\D)${lines} lines$`));
});

test("a recent import's new versions and a spec's runs this month open lists as long as the figures", async ({ page, signIn }) => {
  await signIn("maintainer");
  // Two imports of a repository of this test's own: the demo's imports on a reused workspace add nothing.
  const repo = TestRepo.create("specledger-e2e-dash-");
  repo.commit("Add checkout spec", { "specs/001-checkout/spec.md": "# Checkout\n\nCustomers pay by card.\n", "AGENTS.md": "# Agents\n\n- Use pnpm.\n" });
  await page.goto("/repositories");
  await page.getByLabel("Local path or git URL").fill(repo.path);
  await page.getByRole("button", { name: "Add repository" }).click();
  await expect(page).toHaveURL(/\/repositories\/[\w-]+$/);
  const repositoryId = page.url().split("/").pop()!;
  await expect(page.getByTestId("import-status")).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
  // The dashboard lists the fleet's six newest imports, and other tests import in parallel: each of ours is read
  // from it right after it finished, as the newest of this repository's.
  const ours = page
    .getByTestId("recent-imports")
    .getByRole("listitem")
    .filter({ has: page.locator(`a[href="/repositories/${repositoryId}"]`) })
    .getByTestId("import-versions")
    .first();
  const newest = async (expected: string) => {
    await page.goto("/");
    await expect(ours).toHaveText(expected);
    return { href: (await ours.getAttribute("href"))!, text: expected };
  };
  const links = [await newest("+2 versions")];
  await page.goto(`/repositories/${repositoryId}`);
  repo.commit("Refunds", { "specs/001-checkout/spec.md": "# Checkout\n\nCustomers pay by card, and get refunds.\n" });
  await page.getByRole("button", { name: "Re-scan" }).click();
  await expect(page.getByTestId("import-status")).toContainText("1 new version, 0 new specs", { timeout: 30_000 });
  links.push(await newest("+1 version"));
  for (const { href, text } of links) {
    await page.goto(href);
    await expect(page.getByTestId("versions-import-filter")).toContainText("Only the versions the import of");
    // "+1 version" opens a list of "1 version".
    await expect(page.getByTestId("version-total")).toHaveText(text.slice(1));
    await expect(page.getByTestId("version-list").getByRole("link", { name: "AGENTS.md" })).toHaveCount(text === "+1 version" ? 0 : 1);
  }
  repo.remove();

  // The card lists the month's top spenders, which on a shared test database are the integration tests' specs
  // (CI: two of $7,000,000 pushed the demo's orders-service out); the top one's count is checked, whoever it is.
  await page.goto("/");
  const spend = page.getByTestId("spec-spend").first();
  await expect(spend).toBeVisible();
  const runs = spend.getByTestId("spec-spend-runs");
  const said = (await runs.textContent())!;
  await runs.click();
  await expect(page).toHaveURL(/\/runs\?spec=[^&]+&since=\d{4}-\d{2}-01T00(:|%3A)00/);
  await expect(page.getByTestId("runs-total")).toHaveText(said);
  const api = (await (await page.request.get(`/api/v1/runs${new URL(page.url()).search}`)).json()) as { total: number };
  expect(`${api.total.toLocaleString("en")} run${api.total === 1 ? "" : "s"}`).toBe(said);
});

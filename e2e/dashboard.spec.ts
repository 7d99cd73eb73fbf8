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

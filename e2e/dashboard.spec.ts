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

  await page.goto("/");
  await totals.getByRole("link", { name: /^Open findings/ }).click();
  await expect(page).toHaveURL(/\/findings\?status=open(,|%2C)acknowledged$/);

  await page.goto("/");
  const chart = page.getByTestId("trend-chart");
  for (const text of ["Specs (count)", "Open findings (count)", "Week starting (month-day)", "Specs (left axis)", "Open findings (right axis)"]) {
    await expect(chart.getByText(text, { exact: true })).toBeVisible();
  }
});

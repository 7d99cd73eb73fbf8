import { expect, test } from "./fixtures";

test("a new user at 390 px: every dashboard link opens a page that exists and fits the screen, the figures' lists included", async ({
  page,
  signIn,
}, testInfo) => {
  test.setTimeout(400_000);
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn("viewer");
  await page.goto("/");
  const all = await page.locator("main a[href^='/']").evaluateAll((links) => links.map((a) => a.getAttribute("href")!));
  // One link of each shape: /findings/<id> once, /findings?type=&severity= once, and so on.
  const shape = (href: string) => {
    const url = new URL(href, "http://x");
    return `${url.pathname.replace(/\/[^/]*\d[^/]*$/, "/:id")}?${[...url.searchParams.keys()].sort().join("&")}`;
  };
  const hrefs = [...new Map(all.map((href) => [shape(href), href])).values()];
  expect(hrefs.length).toBeGreaterThan(5);
  const problems: string[] = [];
  for (const [i, href] of hrefs.entries()) {
    const response = await page.goto(href);
    if (response?.status() !== 200) {
      problems.push(`${href} answers ${response?.status()}`);
      continue;
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 0) problems.push(`${href} scrolls sideways by ${overflow} px`);
    // A list reached from a figure says how many it holds, or that it is empty: never a bare blank page.
    const heading = page.getByRole("heading", { level: 1 });
    if ((await heading.count()) === 0) problems.push(`${href} has no page heading`);
    if (i < 12) await page.screenshot({ path: testInfo.outputPath(`walkthrough-${i}-390.png`), fullPage: true });
  }
  expect(problems).toEqual([]);
});

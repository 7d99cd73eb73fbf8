import { randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import type { Page, TestInfo } from "@playwright/test";
import { SAME_ORIGIN, createUser, database, expect, signInAs, test } from "./fixtures";

const one = async (sql: string) => (await database().query<{ id: string }>(sql)).rows[0]?.id;
const under = (prefix: string, sql: string) => async () => {
  const id = await one(sql);
  return id ? `${prefix}${id}` : null;
};

/**
 * A demo-workspace spec with at least three versions whose oldest and live versions differ in
 * content at the same path, so the diff page shows a diff (not "identical" or "renamed"): other
 * tests import specs of their own in parallel, and one of those can revert to its first text.
 */
const versioned = async () => {
  const spec = (
    await database().query<{ id: string; oldest: number; live: number }>(
      `SELECT s.id, o.seq AS oldest, l.seq AS live
       FROM "Spec" s JOIN "Repository" r ON r.id = s."repositoryId"
       JOIN LATERAL (SELECT seq, "contentHash", path FROM "SpecVersion" WHERE "specId" = s.id ORDER BY seq LIMIT 1) o ON true
       JOIN LATERAL (SELECT seq, "contentHash", path FROM "SpecVersion" WHERE "specId" = s.id ORDER BY seq DESC LIMIT 1) l ON true
       WHERE NOT s.deleted AND s.kind = 'spec' AND r.name IN ('payments-service', 'orders-service', 'web-app', 'platform-infra')
         AND l.seq - o.seq >= 2 AND o."contentHash" <> l."contentHash" AND o.path = l.path
       ORDER BY s.id LIMIT 1`,
    )
  ).rows[0];
  // The demo workspace always has one: its absence is a broken seed, not a page to skip.
  if (!spec) throw new Error("The demo workspace has no spec with three versions whose text changed at the same path.");
  return spec;
};

/**
 * The main pages; a detail page takes its id from the demo workspace (null: the workspace has none).
 * `status`: the answer expected (200); `shows`: a test id the page must show, so the state axe reads is the one named.
 */
const MAIN_PAGES: { name: string; path: () => Promise<string | null>; status?: number; shows?: string }[] = [
  { name: "dashboard", path: async () => "/" },
  { name: "repositories", path: async () => "/repositories" },
  { name: "specs", path: async () => "/specs" },
  { name: "versions", path: async () => "/versions" },
  { name: "spec", path: under("/specs/", `SELECT id FROM "Spec" WHERE NOT deleted AND kind = 'spec' ORDER BY "versionCount" DESC, path LIMIT 1`) },
  {
    name: "spec diff, split",
    path: async () => {
      const spec = await versioned();
      return `/specs/${spec.id}?from=${spec.oldest}&to=${spec.live}&mode=split`;
    },
    shows: "diff-view",
  },
  {
    name: "spec diff, unified",
    path: async () => {
      const spec = await versioned();
      return `/specs/${spec.id}?from=${spec.oldest}&to=${spec.live}&mode=unified`;
    },
    shows: "diff-view",
  },
  {
    name: "old spec version (banner)",
    path: async () => {
      const spec = await versioned();
      return `/specs/${spec.id}?v=${spec.oldest}`;
    },
    shows: "old-version-banner",
  },
  { name: "not found", path: async () => "/specs/no-such-spec", status: 404 },
  { name: "findings", path: async () => "/findings" },
  { name: "finding", path: under("/findings/", `SELECT id FROM "Finding" WHERE status = 'open' ORDER BY severity, id LIMIT 1`) },
  // The finding with the most evidence: long rule reasons cite URLs that must wrap at 390 px.
  {
    name: "finding with the longest evidence",
    path: under("/findings/", `SELECT id FROM "Finding" WHERE status = 'open' ORDER BY length(evidence::text) DESC, id LIMIT 1`),
  },
  {
    name: "lint finding with the longest rule reason",
    path: under(
      "/findings/",
      `SELECT id FROM "Finding" WHERE status = 'open' AND type = 'lint' ORDER BY length(evidence->>'reason') DESC NULLS LAST, id LIMIT 1`,
    ),
  },
  { name: "duplicates", path: async () => "/duplicates" },
  { name: "deployments", path: async () => "/deployments" },
  { name: "deployment", path: under("/deployments/", `SELECT id FROM "Deployment" ORDER BY "createdAt" LIMIT 1`) },
  { name: "reviews", path: async () => "/changes?queue=all" },
  { name: "change", path: under("/changes/", `SELECT number::text AS id FROM "Change" ORDER BY number LIMIT 1`) },
  { name: "repository", path: under("/repositories/", `SELECT id FROM "Repository" WHERE name = 'payments-service'`) },
  { name: "runs", path: async () => "/runs" },
  { name: "run", path: under("/runs/", `SELECT id FROM "AgentRun" ORDER BY id LIMIT 1`) },
  {
    name: "check",
    path: under(
      "/checks/",
      `SELECT c.id FROM "Check" c JOIN "Repository" r ON r.id = c."repositoryId" WHERE r.name = 'orders-service' AND c."pullRequest" = 17`,
    ),
  },
  { name: "inbox", path: async () => "/inbox" },
  { name: "audit", path: async () => "/settings/audit" },
  { name: "settings", path: async () => "/settings" },
  { name: "tokens", path: async () => "/settings/tokens" },
  { name: "runs and tickets settings", path: async () => "/settings/runs" },
  { name: "findings rules settings", path: async () => "/settings/findings" },
  { name: "ownership settings", path: async () => "/settings/ownership" },
  { name: "teams settings", path: async () => "/settings/teams" },
  { name: "email settings", path: async () => "/settings/emails" },
  { name: "notifications settings", path: async () => "/settings/notifications" },
  { name: "notification subscription", path: under("/settings/notifications/", `SELECT id FROM "NotificationSubscription" ORDER BY id LIMIT 1`) },
  { name: "requirement", path: under("/requirements/", `SELECT id FROM "Requirement" ORDER BY id LIMIT 1`) },
  {
    name: "propose",
    path: async () => {
      const id = await one(`SELECT id FROM "Spec" WHERE NOT deleted AND kind = 'spec' ORDER BY path, id LIMIT 1`);
      return id ? `/specs/${id}/propose` : null;
    },
  },
  {
    name: "compare",
    path: async () => {
      const ids = (await database().query<{ id: string }>(`SELECT id FROM "Spec" WHERE NOT deleted AND kind = 'spec' ORDER BY path, id LIMIT 2`)).rows;
      return ids.length === 2 ? `/duplicates/compare?a=${ids[0].id}&b=${ids[1].id}` : null;
    },
  },
];

const WIDTHS = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
];

// One test per page, so the workers share them out and a slow page cannot time the others out.
/** At each width: the answer's status, sideways scrolling and axe's serious or critical violations, with a screenshot. */
async function checkPage(page: Page, testInfo: TestInfo, name: string, path: string, { status = 200, shows }: { status?: number; shows?: string } = {}) {
  const problems: string[] = [];
  for (const size of WIDTHS) {
    await page.setViewportSize(size);
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(status);
    if (shows) await expect(page.getByTestId(shows).first()).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath(`${name}-${size.width}.png`), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 0) problems.push(`${path} at ${size.width} px scrolls sideways by ${overflow} px`);
    const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    for (const v of violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
      problems.push(
        `${path} at ${size.width} px: ${v.id} (${v.impact}) ${v.help}: ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join(", ")}`,
      );
    }
  }
  expect(problems).toEqual([]);
}

for (const { name, path: pathOf, status, shows } of MAIN_PAGES) {
  test(`the ${name} page passes axe (no serious or critical violations), fits 390 px without sideways scroll, and is screenshotted at 1440 and 390 px`, async ({
    page,
  }, testInfo) => {
    test.setTimeout(120_000);
    const path = await pathOf();
    test.skip(path === null, `the demo workspace has no ${name}`);
    const admin = await createUser("admin");
    await signInAs(page, admin);
    await checkPage(page, testInfo, name, path!, { status, shows });
  });
}

test("the revise page, opened by the change's author, passes axe and fits 390 px; a reviewer who is not the author gets a 404", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const { rows } = await database().query<{ id: string }>(
    `SELECT id FROM "Spec" WHERE NOT deleted AND owners @> ARRAY['@acme/payments'] AND kind = 'spec' ORDER BY path LIMIT 1`,
  );
  expect(rows).toHaveLength(1);
  const author = await createUser("maintainer");
  await signInAs(page, author);
  const created = await page.request.post("/api/v1/changes", {
    headers: SAME_ORIGIN,
    data: { specId: rows[0].id, title: `Axe ${randomUUID().slice(0, 8)}`, content: "# Revise me\n\nA proposal whose revise page axe reads.\n" },
  });
  expect(created.status()).toBe(201);
  const { number } = (await created.json()) as { number: number };
  await checkPage(page, testInfo, "revise", `/changes/${number}/revise`, { shows: "live-diff" });
  // A reviewer who did not propose it is told there is no such page (maintainers and admins may revise any proposal).
  await signInAs(page, await createUser("reviewer"));
  expect((await page.goto(`/changes/${number}/revise`))?.status()).toBe(404);
});

test("the sign-in page passes axe", async ({ page }) => {
  await page.goto("/signin");
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
});

test("at 390 px the navigation collapses behind a menu button that opens it, by keyboard too", async ({ page, signIn }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn("viewer");
  await page.goto("/");
  const nav = page.getByRole("navigation", { name: "Main" });
  const menu = page.getByRole("button", { name: "Menu" });
  await expect(nav).toBeHidden();
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await menu.focus();
  await page.keyboard.press("Enter");
  await expect(nav).toBeVisible();
  await expect(page.getByRole("button", { name: "Close menu" })).toHaveAttribute("aria-expanded", "true");
  await nav.getByRole("link", { name: "Findings" }).click();
  await expect(page).toHaveURL(/\/findings$/);
  await expect(nav).toBeHidden();

  // Wide screens show the links without a menu button.
  await page.setViewportSize({ width: 1440, height: 900 });
  await expect(nav).toBeVisible();
  await expect(page.getByRole("button", { name: "Menu" })).toBeHidden();
});

test("keyboard users skip to the content and see where focus is", async ({ page, signIn }) => {
  await signIn("viewer");
  await page.goto("/");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  const outline = await skip.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe("none");
  await page.keyboard.press("Tab");
  const focused = page.locator(":focus");
  expect(await focused.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe("solid");
});

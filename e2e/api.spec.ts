import fs from "node:fs";
import path from "node:path";
import { expect, SAME_ORIGIN, test } from "./fixtures";

/** Every page and route handler in app/, with dynamic segments filled in. */
function discoverRoutes() {
  const routes: { kind: "page" | "api"; path: string; methods: string[] }[] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        const segment = /^\(.*\)$/.test(entry.name) ? null : entry.name.replace(/^\[\.\.\.(.+)\]$/, "x").replace(/^\[(.+)\]$/, "x");
        walk(full, segment === null ? segments : [...segments, segment]);
      } else if (entry.name === "page.tsx") {
        routes.push({ kind: "page", path: "/" + segments.join("/"), methods: ["GET"] });
      } else if (entry.name === "route.ts") {
        const methods = [...fs.readFileSync(full, "utf8").matchAll(/export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]);
        routes.push({ kind: "api", path: "/" + segments.join("/"), methods });
      }
    }
  };
  walk(path.join(process.cwd(), "app"), []);
  return routes;
}

test("every page and route handler refuses a visitor without a session", async ({ request }) => {
  const routes = discoverRoutes();
  expect(routes.length).toBeGreaterThan(10);
  for (const route of routes) {
    if (route.path === "/signin" || route.path.startsWith("/api/auth") || route.path === "/api/health") continue;
    if (route.path === "/api/v1/openapi.json") {
      // The API's description is public, like any published API document.
      expect((await request.get(route.path)).status()).toBe(200);
      continue;
    }
    for (const method of route.methods) {
      const response = await request.fetch(route.path.replace("/diff", "/diff?from=1&to=2"), {
        method,
        maxRedirects: 0,
        ...(method === "GET" ? {} : { data: {}, headers: SAME_ORIGIN }),
      });
      if (route.kind === "page") {
        expect(response.status(), route.path).toBe(307);
        expect(response.headers()["location"], route.path).toMatch(/^\/signin/);
      } else {
        expect(response.status(), `${method} ${route.path}`).toBe(401);
      }
    }
  }
});

test("bad requests get clear errors and change nothing", async ({ page, signIn }) => {
  await signIn("admin");
  const before = (await (await page.request.get("/api/v1/repositories")).json()).repositories.length;

  const malformed = await page.request.post("/api/v1/repositories", {
    headers: { ...SAME_ORIGIN, "content-type": "application/json" },
    data: Buffer.from("{not json"),
  });
  expect(malformed.status()).toBe(400);
  expect((await malformed.json()).error.message).toMatch(/not valid JSON/);

  const wrongType = await page.request.post("/api/v1/repositories", { headers: SAME_ORIGIN, data: { source: 42 } });
  expect(wrongType.status()).toBe(422);
  expect((await wrongType.json()).error.issues[0].path).toEqual(["source"]);

  const huge = await page.request.post("/api/v1/repositories", { headers: SAME_ORIGIN, data: { source: "/tmp/" + "a".repeat(1_100_000) } });
  expect(huge.status()).toBe(413);

  const relative = await page.request.post("/api/v1/repositories", { headers: SAME_ORIGIN, data: { source: "not/absolute" } });
  expect(relative.status()).toBe(422);
  const scheme = await page.request.post("/api/v1/repositories", { headers: SAME_ORIGIN, data: { source: "ext::sh -c touch% /tmp/pwned" } });
  expect(scheme.status()).toBe(422);

  expect((await (await page.request.get("/api/v1/repositories")).json()).repositories.length).toBe(before);

  for (const url of ["/api/v1/specs/nope", "/api/v1/repositories/nope", "/api/v1/imports/nope", "/api/v1/specs/nope/versions/1"]) {
    const response = await page.request.get(url);
    expect(response.status(), url).toBe(404);
  }
  const badQuery = await page.request.get("/api/v1/specs?kind=poem");
  expect(badQuery.status()).toBe(422);
  const missingPage = await page.goto("/specs/does-not-exist");
  expect(missingPage?.status()).toBe(404);
});

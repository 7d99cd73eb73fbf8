// Issue 12 §2: the exact cross-site form, in a real browser with two origins. A page served
// from a second origin auto-submits a text/plain form whose body reads as JSON to the
// decisions endpoint while the reviewer is signed in; the change must stay open.
// (The session cookie may be SameSite=Lax, in which case the browser does not even send it on
// this cross-site POST; app/api/v1/changes/csrf.test.ts sends the same request WITH the cookie
// and proves that the server refuses it too.)
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createUser, database, expect, signInAs, test } from "./fixtures";

/** A spec a reviewer may approve changes to: one no ownership rule requires owners for. */
async function anySpec() {
  const { rows } = await database().query<{ id: string }>(`SELECT id FROM "Spec" WHERE NOT deleted AND kind = 'spec' ORDER BY path LIMIT 1`);
  expect(rows, "the demo workspace has a live spec").toHaveLength(1);
  return rows[0];
}

/** Serves one page on 127.0.0.1 (another origin than the app's localhost) until closed. */
async function serveForeignPage(html: string) {
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(resolve)) };
}

test("a cross-site text/plain form cannot approve a change with the reviewer's session", async ({ page, baseURL }) => {
  const appOrigin = new URL(baseURL!).origin;
  const spec = await anySpec();
  const author = await createUser("maintainer");
  const reviewer = await createUser("admin");

  // The author opens a change (same-origin, as the app's own pages do).
  await signInAs(page, author);
  const created = await page.request.post("/api/v1/changes", {
    headers: { origin: appOrigin },
    data: { specId: spec.id, title: "CSRF target", content: `# Target\n\n${Date.now()}\n` },
  });
  expect(created.status()).toBe(201);
  const { number, currentHash } = (await created.json()) as { number: number; currentHash: string };

  // The reviewer (an admin: any change is theirs to approve) is signed in in this browser.
  await signInAs(page, reviewer);

  // The attacker's page: a text/plain form whose one field name and value join into JSON.
  const target = `${appOrigin}/api/v1/changes/${number}/decisions`;
  const name = `{"kind":"approve","contentHash":"${currentHash}","x":"`;
  const foreign = await serveForeignPage(`<!doctype html><html><body>
    <form id="f" method="POST" enctype="text/plain" action="${target}">
      <input type="hidden" name='${name}' value='"}'>
    </form>
    <script>document.getElementById("f").submit();</script>
  </body></html>`);
  try {
    const answer = page.waitForResponse((r) => r.url() === target && r.request().method() === "POST");
    await page.goto(foreign.url);
    const response = await answer;
    expect([403, 415]).toContain(response.status());
  } finally {
    await foreign.close();
  }

  // The change is still open, as the reviewer sees it through the API (same-origin).
  const after = await page.request.get(`/api/v1/changes/${number}`);
  expect(after.status()).toBe(200);
  expect(((await after.json()) as { state: string }).state).toBe("proposed");
  const { rows } = await database().query(`SELECT count(*)::int AS n FROM "ReviewDecision" d JOIN "Change" c ON c.id = d."changeId" WHERE c.number = $1`, [
    number,
  ]);
  expect(rows[0].n).toBe(0);
});

test("the same decision from the app's own origin goes through (the refusal above is about the origin)", async ({ page, baseURL }) => {
  const appOrigin = new URL(baseURL!).origin;
  const spec = await anySpec();
  const author = await createUser("maintainer");
  await signInAs(page, author);
  const created = await page.request.post("/api/v1/changes", {
    headers: { origin: appOrigin },
    data: { specId: spec.id, title: "Same origin", content: `# Same origin\n\n${Date.now()}\n` },
  });
  const { number, currentHash } = (await created.json()) as { number: number; currentHash: string };
  await signInAs(page, await createUser("admin"));
  const response = await page.request.post(`/api/v1/changes/${number}/decisions`, {
    headers: { origin: appOrigin },
    data: { kind: "approve", contentHash: currentHash },
  });
  expect(response.status()).toBe(201);
  // Without an Origin (and no Sec-Fetch-Site), a cookie-authenticated write is refused.
  const bare = await page.request.post(`/api/v1/changes/${number}/decisions`, { data: { kind: "comment", body: "hi" } });
  expect(bare.status()).toBe(403);
});

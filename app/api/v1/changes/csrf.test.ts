// Issue 12 §2, cross-site request forgery: the exact request a foreign page's form sends with
// the reviewer's session cookie is refused, and nothing changes. The cookie store is supplied:
// the session cookie is a real one for the test's user; the origin checks and everything after are real.
// e2e/csrf.spec.ts sends the same form from a second origin in a real browser.
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { proposeChange } from "@/lib/operations/reviews";
import { importRepository } from "@/lib/repositories/import";
import { userWithToken } from "@/lib/testing/api";
import { TestRepo, randomName } from "@/lib/testing/git-repo";

let sessionUserId: string | null = null;
vi.mock("next/headers", async () => ({ cookies: (await import("@/lib/testing/session")).cookiesFor(() => sessionUserId) }));
// React's request cache needs a React server render; here every call is its own request.
vi.mock("react", async (original) => ({ ...(await original<typeof import("react")>()), cache: <T>(fn: T) => fn }));

const decisions = await import("./[number]/decisions/route");

const APP_ORIGIN = new URL(process.env.NEXTAUTH_URL ?? "http://localhost").origin;
const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

let specId: string;
let author: { id: string; email: string; role: "maintainer" };
let reviewer: { id: string; email: string; role: "reviewer" };

beforeAll(async () => {
  const repo = TestRepo.create();
  repos.push(repo);
  repo.commit("spec", { "specs/a/spec.md": "# A\n" });
  const record = await db.repository.create({ data: { name: randomName("csrf"), source: repo.path } });
  await importRepository({ repositoryId: record.id });
  specId = (await db.spec.findFirstOrThrow({ where: { repositoryId: record.id } })).id;
  author = (await db.user.create({
    data: { email: `${randomName("author")}@csrf.test`, name: "author", role: "maintainer" },
    select: { id: true, email: true, role: true },
  })) as typeof author;
  reviewer = (await db.user.create({
    data: { email: `${randomName("rev")}@csrf.test`, name: "rev", role: "reviewer" },
    select: { id: true, email: true, role: true },
  })) as typeof reviewer;
});

async function openChange() {
  return proposeChange(author, { specId, content: `# A\n\n${randomName("edit")}\n`, title: "edit" });
}

/** What a foreign page's `<form enctype="text/plain">` with one field sends: `name=value`, JSON-ish. */
function formBody(contentHash: string) {
  return `{"kind":"approve","contentHash":"${contentHash}","x":"=1"}`;
}

function post(number: number, body: string, headers: Record<string, string>) {
  return decisions.POST(
    new NextRequest(`http://localhost/api/v1/changes/${number}/decisions`, {
      method: "POST",
      headers: { cookie: "next-auth.session-token=valid-session", ...headers },
      body,
    }),
    { params: Promise.resolve({ number: String(number) }) },
  );
}

async function stateOf(number: number) {
  const change = await db.change.findUniqueOrThrow({ where: { number }, select: { state: true, id: true } });
  return { state: change.state, decisions: await db.reviewDecision.count({ where: { changeId: change.id } }) };
}

describe("a state-changing request authenticated by the session cookie", () => {
  it.each([
    ["the text/plain form from a foreign origin", { "content-type": "text/plain", origin: "http://evil.example", "sec-fetch-site": "cross-site" }],
    ["JSON from a foreign origin", { "content-type": "application/json", origin: "http://evil.example" }],
    ["the form with Origin: null (sandboxed frame)", { "content-type": "text/plain", origin: "null" }],
    ["no Origin and Sec-Fetch-Site: cross-site", { "content-type": "application/json", "sec-fetch-site": "cross-site" }],
    ["no Origin and Sec-Fetch-Site: same-site (a sibling subdomain)", { "content-type": "application/json", "sec-fetch-site": "same-site" }],
    ["neither Origin nor Sec-Fetch-Site", { "content-type": "application/json" }],
  ])("is refused with 403 when it is %s, and nothing changes", async (_, headers) => {
    const change = await openChange();
    sessionUserId = reviewer.id;
    const response = await post(change.number, formBody(change.currentHash), headers);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/Cross-site request refused/);
    expect(await stateOf(change.number)).toEqual({ state: "proposed", decisions: 0 });
  });

  it("is refused with 415 when same-origin but not JSON (the form's text/plain body)", async () => {
    const change = await openChange();
    sessionUserId = reviewer.id;
    const response = await post(change.number, formBody(change.currentHash), { "content-type": "text/plain", origin: APP_ORIGIN });
    expect(response.status).toBe(415);
    expect(await stateOf(change.number)).toEqual({ state: "proposed", decisions: 0 });
  });

  it("is accepted from the app's own pages (so the refusals above are about the origin)", async () => {
    const change = await openChange();
    sessionUserId = reviewer.id;
    const body = JSON.stringify({ kind: "approve", contentHash: change.currentHash });
    const response = await post(change.number, body, { "content-type": "application/json", origin: APP_ORIGIN, "sec-fetch-site": "same-origin" });
    expect(response.status).toBe(201);
    expect((await stateOf(change.number)).state).toBe("approved");
  });
});

describe("a request with an API token", () => {
  it("is not subject to the origin check (browsers never send tokens on their own)", async () => {
    const change = await openChange();
    sessionUserId = null;
    const { token } = await userWithToken("reviewer", ["admin"]);
    const response = await decisions.POST(
      new NextRequest(`http://localhost/api/v1/changes/${change.number}/decisions`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", origin: "http://evil.example" },
        body: JSON.stringify({ kind: "comment", body: "looks fine" }),
      }),
      { params: Promise.resolve({ number: String(change.number) }) },
    );
    expect(response.status).toBe(201);
  });
});

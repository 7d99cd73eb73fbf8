// The authorization matrix: every role, as a member of the owning team or of another team,
// against the review route handlers and server actions, called directly (no UI, no proxy).
// Only the request's cookie store is supplied (a real session cookie for the acting user);
// everything below it is the real code on the real database.
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db, type Role } from "@/lib/db";
import { proposeChange } from "@/lib/operations/reviews";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";

let sessionUserId: string | null = null;
vi.mock("next/headers", async () => ({ cookies: (await import("@/lib/testing/session")).cookiesFor(() => sessionUserId) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
// React's request cache needs a React server render; here every call is its own request.
vi.mock("react", async (original) => ({ ...(await original<typeof import("react")>()), cache: <T>(fn: T) => fn }));

const changes = await import("./route");
const change = await import("./[number]/route");
const decisions = await import("./[number]/decisions/route");
const revisions = await import("./[number]/revisions/route");
const patch = await import("./[number]/patch/route");
const actions = await import("@/lib/actions/changes");

const ROLES: Role[] = ["admin", "maintainer", "reviewer", "viewer"];
const TEAMS = ["own", "other"] as const;
const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

let specId: string;
let ownTeam: string;
let otherTeam: string;
let author: { id: string; email: string; role: Role };

beforeAll(async () => {
  ownTeam = `@acme/${randomName("own")}`;
  otherTeam = `@acme/${randomName("other")}`;
  const repo = TestRepo.create();
  repos.push(repo);
  repo.commit("spec", { CODEOWNERS: `specs/ ${ownTeam}\n`, "specs/a/spec.md": "# A\n" });
  const record = await db.repository.create({ data: { name: randomName("authz"), source: repo.path } });
  await importRepository({ repositoryId: record.id });
  // Owner approval required: an approval from the other team is recorded but does not approve.
  await db.ownershipRule.updateMany({ where: { repositoryId: record.id }, data: { requireOwnerApproval: true } });
  specId = (await db.spec.findFirstOrThrow({ where: { repositoryId: record.id, path: "specs/a/spec.md" } })).id;
  author = await db.user.create({
    data: { email: `${randomName("author")}@authz.test`, name: "author", role: "maintainer" },
    select: { id: true, email: true, role: true },
  });
  for (const slug of [ownTeam, otherTeam]) await db.team.create({ data: { slug, name: slug } });
});

async function actor(role: Role, team: (typeof TEAMS)[number]) {
  const user = await db.user.create({ data: { email: `${randomName(role)}@authz.test`, name: role, role }, select: { id: true, email: true, role: true } });
  const slug = team === "own" ? ownTeam : otherTeam;
  const { id: teamId } = await db.team.findUniqueOrThrow({ where: { slug } });
  await db.teamMember.create({ data: { teamId, userId: user.id } });
  return user;
}

async function freshProposal() {
  const text = `# A\n\n${randomName("edit")}\n`;
  return proposeChange(author, { specId, content: text, title: "edit" });
}

const json = (url: string, body?: unknown) =>
  new NextRequest(
    `http://localhost${url}`,
    body === undefined ? {} : { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", origin: APP_ORIGIN } },
  );
// Session requests that change state must come from the app's own origin (CSRF).
const APP_ORIGIN = new URL(process.env.NEXTAUTH_URL ?? "http://localhost").origin;
const params = <P>(p: P) => ({ params: Promise.resolve(p) });
const form = (fields: Record<string, string | number>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, String(v));
  return f;
};

type Expect = { status: number; state?: string };
const decides = (role: Role) => role !== "viewer";

describe.each(ROLES.flatMap((role) => TEAMS.map((team) => [role, team] as const)))("a %s in the %s team", (role, team) => {
  let user: Awaited<ReturnType<typeof actor>>;
  beforeAll(async () => {
    user = await actor(role, team);
  });
  const as = () => {
    sessionUserId = user.id;
  };

  it("reads the queue, a change and its patch", async () => {
    const c = await freshProposal();
    as();
    expect((await changes.GET(json("/api/v1/changes?queue=open"), params({}))).status).toBe(200);
    expect((await change.GET(json(`/api/v1/changes/${c.number}`), params({ number: String(c.number) }))).status).toBe(200);
    expect((await patch.GET(json(`/api/v1/changes/${c.number}/patch`), params({ number: String(c.number) }))).status).toBe(200);
    const mine = (await (await changes.GET(json("/api/v1/changes?queue=mine"), params({}))).json()) as { changes: { number: number }[] };
    // Only reviewers in the owning team have it waiting for them.
    expect(mine.changes.some((x) => x.number === c.number)).toBe(team === "own" && decides(role));
  });

  it("proposes only with a role that may", async () => {
    as();
    const response = await changes.POST(json("/api/v1/changes", { specId, content: `# A\n\n${randomName("p")}\n`, title: "mine" }), params({}));
    expect(response.status).toBe(role === "viewer" ? 403 : 201);
  });

  it("approves only with a role that may; only the owning team's approval meets the policy", async () => {
    const c = await freshProposal();
    as();
    const response = await decisions.POST(
      json(`/api/v1/changes/${c.number}/decisions`, { kind: "approve", contentHash: c.currentHash }),
      params({ number: String(c.number) }),
    );
    const expected: Expect = decides(role) ? { status: 201, state: team === "own" ? "approved" : "proposed" } : { status: 403 };
    expect(response.status).toBe(expected.status);
    expect((await db.change.findUniqueOrThrow({ where: { id: c.id } })).state).toBe(expected.state ?? "proposed");
  });

  it("overrides only as an admin, and only with a reason", async () => {
    const c = await freshProposal();
    as();
    const url = `/api/v1/changes/${c.number}/decisions`;
    const noReason = await decisions.POST(json(url, { kind: "override", contentHash: c.currentHash, body: "" }), params({ number: String(c.number) }));
    expect(noReason.status).toBe(role === "viewer" ? 403 : 422);
    const withReason = await decisions.POST(
      json(url, { kind: "override", contentHash: c.currentHash, body: "Incident INC-7 needs it now" }),
      params({ number: String(c.number) }),
    );
    expect(withReason.status).toBe(role === "admin" ? 201 : 403);
    expect((await db.change.findUniqueOrThrow({ where: { id: c.id } })).state).toBe(role === "admin" ? "approved" : "proposed");
  });

  it("revises someone else's proposal only as a maintainer or admin", async () => {
    const c = await freshProposal();
    as();
    const response = await revisions.POST(json(`/api/v1/changes/${c.number}/revisions`, { content: "# A\n\nrevised\n" }), params({ number: String(c.number) }));
    expect(response.status).toBe(role === "admin" || role === "maintainer" ? 201 : 403);
  });

  it("gets the same answers from the server actions", async () => {
    const c = await freshProposal();
    as();
    const approve = await actions.decideAction({ error: null }, form({ number: c.number, kind: "approve", contentHash: c.currentHash }));
    expect(approve.error === null).toBe(decides(role));
    const override = await actions.decideAction(
      { error: null },
      form({ number: c.number, kind: "override", contentHash: c.currentHash, body: "Incident INC-8 needs it now" }),
    );
    expect(override.error === null).toBe(role === "admin" && team === "other"); // an own-team approval already approved it
    const revise = await actions.reviseAction({ error: null }, form({ number: c.number, content: "# A\n\nby action\n" })).catch((e: Error) => e);
    const revised = revise instanceof Error && /NEXT_REDIRECT/.test(String((revise as { digest?: string }).digest ?? revise.message));
    expect(revised).toBe(role === "admin" || role === "maintainer");
    const propose = await actions.proposeAction({ error: null }, form({ specId, title: "t", content: `# A\n\n${randomName("a")}\n` })).catch((e: Error) => e);
    expect(propose instanceof Error).toBe(role !== "viewer"); // success redirects
  });
});

describe("without a session", () => {
  it("every review route handler and action refuses", async () => {
    sessionUserId = null;
    const c = await freshProposal();
    const p = params({ number: String(c.number) });
    expect((await changes.GET(json("/api/v1/changes"), params({}))).status).toBe(401);
    expect((await change.GET(json(`/api/v1/changes/${c.number}`), p)).status).toBe(401);
    expect((await decisions.POST(json("/x", { kind: "approve", contentHash: c.currentHash }), p)).status).toBe(401);
    expect((await revisions.POST(json("/x", { content: "x" }), p)).status).toBe(401);
    expect((await actions.decideAction({ error: null }, form({ number: c.number, kind: "approve", contentHash: c.currentHash }))).error).toMatch(/Sign in/);
    expect(await db.reviewDecision.count({ where: { changeId: c.id } })).toBe(0);
  });
});

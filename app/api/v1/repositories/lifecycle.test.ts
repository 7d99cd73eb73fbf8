import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, type Role } from "@/lib/db";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { createToken } from "@/lib/operations/workspace";
import { archiveRepository } from "@/lib/operations/repositories";
import { deletionBlockers } from "@/lib/repositories/lifecycle";

const archiveRoute = await import("./[id]/archive/route");
const deleteRoute = await import("./[id]/delete/route");
const sourceRoute = await import("./[id]/source/route");
const listRoute = await import("./route");

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));
const tokens: Partial<Record<Role, string>> = {};
const users: Partial<Record<Role, { id: string; email: string; role: Role }>> = {};

beforeAll(async () => {
  for (const role of ["admin", "maintainer", "viewer"] as const) {
    const user = await db.user.create({
      data: { email: `${randomName(role)}@lifecycle.test`, name: role, role },
      select: { id: true, email: true, role: true },
    });
    users[role] = user;
    tokens[role] = (await createToken(user, { name: "t", scopes: ["admin", "specs:read"], expiresInDays: 1 })).token;
  }
});

type Route = { POST: (r: NextRequest, c: { params: Promise<{ id: string }> }) => Promise<Response> };
const post = (route: Route, id: string, role: Role, body: unknown) =>
  route.POST(
    new NextRequest(
      `http://localhost/api/v1/repositories/${encodeURIComponent(id)}/${route === (archiveRoute as Route) ? "archive" : route === (sourceRoute as Route) ? "source" : "delete"}`,
      {
        method: "POST",
        headers: { authorization: `Bearer ${tokens[role]}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      },
    ),
    { params: Promise.resolve({ id }) },
  );

/** A repository whose only import failed, as a typo'd path leaves it. */
async function failedRepository() {
  const name = randomName("typo");
  const repository = await db.repository.create({ data: { name, source: `/nowhere/${name}`, status: "failed" } });
  await db.import.create({ data: { repositoryId: repository.id, status: "failed", phase: "failed", error: "No such directory" } });
  return repository;
}

async function importedRepository() {
  const repo = TestRepo.create();
  repos.push(repo);
  repo.commit("spec", { "specs/a/spec.md": "# A\n" });
  const repository = await db.repository.create({ data: { name: randomName("kept"), source: repo.path } });
  await importRepository({ repositoryId: repository.id });
  return repository;
}

const listNames = async (query = "") => {
  const res = await listRoute.GET(new NextRequest(`http://localhost/api/v1/repositories${query}`, { headers: { authorization: `Bearer ${tokens.viewer}` } }), {
    params: Promise.resolve({}),
  });
  return ((await res.json()) as { repositories: { name: string }[] }).repositories.map((r) => r.name);
};

describe("archiving a repository", () => {
  it("hides it from the list, keeps its history, is audited, and unarchiving brings it back", async () => {
    const repository = await importedRepository();
    const versions = await db.specVersion.count({ where: { spec: { repositoryId: repository.id } } });
    const res = await post(archiveRoute, repository.id, "maintainer", { archived: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: repository.id, archived: true });
    expect(await listNames()).not.toContain(repository.name);
    expect(await listNames("?archived=only")).toContain(repository.name);
    expect(await db.specVersion.count({ where: { spec: { repositoryId: repository.id } } })).toBe(versions);

    // Archiving again changes nothing and records nothing.
    expect((await post(archiveRoute, repository.id, "maintainer", { archived: true })).status).toBe(200);
    const events = await db.auditEvent.findMany({ where: { subject: `repository:${repository.id}`, action: { startsWith: "repository.archived" } } });
    expect(events).toHaveLength(1);

    expect(await (await post(archiveRoute, repository.id, "maintainer", { archived: false })).json()).toMatchObject({ archived: false });
    expect(await listNames()).toContain(repository.name);
    expect(await db.auditEvent.count({ where: { subject: `repository:${repository.id}`, action: "repository.unarchived" } })).toBe(1);
  });

  it("is refused to a viewer, for a malformed body, and for an unknown repository", async () => {
    const repository = await failedRepository();
    expect((await post(archiveRoute, repository.id, "viewer", { archived: true })).status).toBe(403);
    expect((await post(archiveRoute, repository.id, "maintainer", { archived: "yes" })).status).toBe(422);
    expect((await post(archiveRoute, repository.id, "maintainer", { archived: true, extra: 1 })).status).toBe(422);
    expect((await post(archiveRoute, "no-such-repository", "maintainer", { archived: true })).status).toBe(404);
    expect((await db.repository.findUniqueOrThrow({ where: { id: repository.id } })).archivedAt).toBeNull();
  });
});

describe("deleting a repository", () => {
  it("removes one that never imported anything, with its failed imports, when an admin types its name; the audit log says so", async () => {
    const repository = await failedRepository();
    const res = await post(deleteRoute, repository.id, "admin", { confirmName: repository.name });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: repository.id, name: repository.name, deleted: true });
    expect(await db.repository.count({ where: { id: repository.id } })).toBe(0);
    expect(await db.import.count({ where: { repositoryId: repository.id } })).toBe(0);
    const event = await db.auditEvent.findFirstOrThrow({ where: { subject: `repository:${repository.id}`, action: "repository.deleted" } });
    expect(event).toMatchObject({ actorLabel: users.admin!.email, payload: { name: repository.name, failedImports: 1 } });
  });

  it("refuses a maintainer, a wrong or missing name, and a repository with history, deleting nothing", async () => {
    const failed = await failedRepository();
    expect((await post(deleteRoute, failed.id, "maintainer", { confirmName: failed.name })).status).toBe(403);
    expect((await post(deleteRoute, failed.id, "admin", { confirmName: failed.name.toUpperCase() })).status).toBe(422);
    expect((await post(deleteRoute, failed.id, "admin", { confirmName: "" })).status).toBe(422);
    expect((await post(deleteRoute, failed.id, "admin", {})).status).toBe(422);
    expect(await db.repository.count({ where: { id: failed.id } })).toBe(1);

    const kept = await importedRepository();
    const refused = await post(deleteRoute, kept.id, "admin", { confirmName: kept.name });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/has history \(1 governed files.*Archive it instead/);
    expect(await db.repository.count({ where: { id: kept.id } })).toBe(1);
    expect(await db.auditEvent.count({ where: { subject: `repository:${kept.id}`, action: "repository.deleted" } })).toBe(0);
  });

  it("refuses while an import is waiting", async () => {
    const repository = await failedRepository();
    await db.import.create({ data: { repositoryId: repository.id, status: "queued" } });
    expect((await post(deleteRoute, repository.id, "admin", { confirmName: repository.name })).status).toBe(409);
    expect(await db.repository.count({ where: { id: repository.id } })).toBe(1);
  });
});

describe("deletionBlockers", () => {
  it("names what a repository holds and nothing when it holds nothing", () => {
    expect(deletionBlockers({ specs: 0, runs: 0 })).toEqual([]);
    expect(deletionBlockers({ specs: 3, runs: 0, succeededImports: 1 })).toEqual(["3 governed files", "1 successful imports"]);
  });
});

describe("the archive operation", () => {
  it("archives through the operation as the CLI would, and the repository's own page data still loads", async () => {
    const repository = await failedRepository();
    await archiveRepository(users.admin!, { repositoryId: repository.id, archived: true });
    expect((await db.repository.findUniqueOrThrow({ where: { id: repository.id } })).archivedById).toBe(users.admin!.id);
  });
});

describe("editing a repository's source", () => {
  it("points a repository whose first import failed at another source and queues its import; audited", async () => {
    const os = await import("node:os");
    process.env.SPECLEDGER_LOCAL_ROOTS = os.tmpdir();
    const repo = TestRepo.create();
    repos.push(repo);
    repo.commit("spec", { "specs/a/spec.md": "# A\n" });
    const repository = await failedRepository();
    const res = await post(sourceRoute, repository.id, "maintainer", { source: repo.path });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { repository: { source: string }; import: { status: string } };
    expect(body.import.status).toBe("queued");
    const stored = await db.repository.findUniqueOrThrow({ where: { id: repository.id } });
    expect(stored.source).toBe(body.repository.source);
    expect(stored.source).not.toContain("/nowhere/");
    expect(await db.auditEvent.count({ where: { subject: `repository:${repository.id}`, action: "repository.source_changed" } })).toBe(1);
  });

  it("refuses a viewer, a malformed source, and a repository with history, changing nothing", async () => {
    const failed = await failedRepository();
    expect((await post(sourceRoute, failed.id, "viewer", { source: "/tmp" })).status).toBe(403);
    expect((await post(sourceRoute, failed.id, "maintainer", { source: "" })).status).toBe(422);
    expect((await post(sourceRoute, failed.id, "maintainer", { source: "ext::sh -c evil" })).status).toBe(422);
    expect((await db.repository.findUniqueOrThrow({ where: { id: failed.id } })).source).toBe(failed.source);

    const kept = await importedRepository();
    const refused = await post(sourceRoute, kept.id, "maintainer", { source: "https://example.com/other.git" });
    expect(refused.status).toBe(409);
    expect((await db.repository.findUniqueOrThrow({ where: { id: kept.id } })).source).toBe(kept.source);
  });
});

import { NextRequest } from "next/server";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { commitSubjects } from "./commit-subjects";

const specRoute = await import("@/app/api/v1/specs/[id]/route");
const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));
const viewer = { role: "viewer" as const };

describe("a spec's history", () => {
  it("gives each version its commit subject, in the API answer too", async () => {
    const repo = TestRepo.create();
    repos.push(repo);
    const first = repo.commit("Add the checkout spec\n\nWhy: FR-1.", { "specs/checkout/spec.md": "# Checkout\n" });
    const second = repo.commit("Checkout: require a receipt", { "specs/checkout/spec.md": "# Checkout\n\nReceipts.\n" });
    const repository = await db.repository.create({ data: { name: randomName("history"), source: repo.path } });
    await importRepository({ repositoryId: repository.id });
    const subjects = await commitSubjects(viewer, repository.id, [first, second]);
    expect(subjects).toEqual(
      new Map([
        [first, "Add the checkout spec"],
        [second, "Checkout: require a receipt"],
      ]),
    );

    const spec = await db.spec.findFirstOrThrow({ where: { repositoryId: repository.id } });
    const owner = await db.user.create({ data: { email: `${randomName("h")}@history.test`, name: "h", role: "viewer" } });
    const { createToken } = await import("@/lib/operations/workspace");
    const { token } = await createToken(owner, { name: "t", scopes: ["specs:read"], expiresInDays: 1 });
    const res = await specRoute.GET(new NextRequest(`http://localhost/api/v1/specs/${spec.id}`, { headers: { authorization: `Bearer ${token}` } }), {
      params: Promise.resolve({ id: spec.id }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { versions: { seq: number; subject: string | null }[] };
    expect(body.versions.map((v) => [v.seq, v.subject])).toEqual([
      [2, "Checkout: require a receipt"],
      [1, "Add the checkout spec"],
    ]);
  });

  it("never clones a URL repository this node has no mirror of, and says nothing rather than failing", async () => {
    const repository = await db.repository.create({ data: { name: randomName("remote"), source: `https://git.invalid/${randomName("r")}.git` } });
    expect(await commitSubjects(viewer, repository.id, ["a".repeat(40)])).toEqual(new Map());
  });

  it("refuses a token without the specs:read scope", async () => {
    await expect(commitSubjects({ role: "admin", scopes: ["runs:write"] }, "any", ["a".repeat(40)])).rejects.toMatchObject({ code: "forbidden" });
  });
});

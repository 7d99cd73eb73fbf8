import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyContractChange } from "@/lib/contracts";
import { db, type Role } from "@/lib/db";
import { decideChange, proposeChange } from "@/lib/operations/reviews";
import { importRepository } from "@/lib/repositories/import";
import { hashContent } from "@/lib/specs/content";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { getChangeOrThrow } from "./index";

// A proposed contract change that breaks consumers needs its owners' approval (issue 14 §1).

const hash = (text: string) => hashContent(Buffer.from(text, "utf8"));
const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

const contract = (paths: object) => JSON.stringify({ openapi: "3.1.0", info: { title: "Pets", version: "1" }, paths }, null, 2) + "\n";
const get = { responses: { "200": { description: "ok" } } };
const V1 = contract({ "/pets": { get }, "/pets/{id}": { get } });

async function user(role: Role, label: string) {
  return db.user.create({ data: { email: `${randomName(label)}@contract-reviews.test`, name: label, role }, select: { id: true, email: true, role: true } });
}

let people: Record<"author" | "owner" | "reviewer", Awaited<ReturnType<typeof user>>>;
let specId: string;

beforeAll(async () => {
  people = { author: await user("maintainer", "author"), owner: await user("reviewer", "owner"), reviewer: await user("reviewer", "reviewer") };
  const team = `@acme/${randomName("api")}`;
  const created = await db.team.create({ data: { slug: team, name: team } });
  await db.teamMember.create({ data: { teamId: created.id, userId: people.owner.id } });
  const repo = TestRepo.create();
  repos.push(repo);
  repo.commit("api", { CODEOWNERS: `api/ ${team}\n`, "api/openapi.json": V1 });
  const record = await db.repository.create({ data: { name: randomName("contract-reviews"), source: repo.path } });
  await importRepository({ repositoryId: record.id });
  specId = (await db.spec.findFirstOrThrow({ where: { repositoryId: record.id, path: "api/openapi.json" } })).id;
});

describe("a breaking contract change", () => {
  it("is not approved by a reviewer who does not own the contract, and is by an owner; the change says why", async () => {
    const text = contract({ "/pets": { get } });
    const change = await proposeChange(people.author, { specId, content: text, title: "Drop single pet" });
    const afterReviewer = await decideChange(people.reviewer, { number: change.number, kind: "approve", contentHash: hash(text) });
    expect(afterReviewer.state).toBe("proposed");
    const detail = await getChangeOrThrow(people.reviewer, change.number);
    const requirement = detail.evaluation.requirements.find((r) => r.key === "breaking-owners");
    expect(requirement).toMatchObject({ met: false, detail: "0 of 1" });
    expect(requirement?.label).toContain("removed `GET /pets/{id}`");
    // The page reuses the policy's classification of base against current instead of classifying again.
    expect(detail.contract).toEqual(classifyContractChange({ kind: "contract", path: "api/openapi.json", oldText: V1, newText: text }));
    expect(detail.contract?.breaking).toBe(1);

    const afterOwner = await decideChange(people.owner, { number: change.number, kind: "approve", contentHash: hash(text) });
    expect(afterOwner.state).toBe("approved");
  });

  it("a non-breaking change is approved by any reviewer", async () => {
    const text = contract({ "/pets": { get }, "/pets/{id}": { get }, "/owners": { get } });
    const change = await proposeChange(people.author, { specId, content: text, title: "Add owners" });
    const after = await decideChange(people.reviewer, { number: change.number, kind: "approve", contentHash: hash(text) });
    expect(after.state).toBe("approved");
  });
});

// The server's judgement of a check, through the operation, on real imported repositories.
import { createHash } from "node:crypto";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { runCheck, setCheckPolicy } from "@/lib/operations/checks";
import { decideChange, proposeChange } from "@/lib/operations/reviews";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { createToken } from "@/lib/operations/workspace";

const hash = (text: string) => createHash("sha256").update(text).digest("hex");
const sha = (c: string) => c.repeat(40);

// Long enough to have more than the minimum of shingles, so it can be a near-duplicate; random
// words keep earlier runs' copies in the shared database from being its nearest duplicates.
const WORD = randomName("w").replace("-", "");
const LONG = `# Payments refunds\n\n${Array.from({ length: 30 }, (_, i) => `- WHEN refund request ${i} arrives for order number ${i * 7} THE SYSTEM SHALL record it in the ${WORD} ledger and notify the finance team promptly.`).join("\n")}\n`;

let maintainer: { id: string; email: string; role: "maintainer" };
let reviewer: { id: string; email: string; role: "reviewer" };
let repoA: { id: string; name: string; source: string };
let repoB: { id: string; name: string };

async function imported(files: Record<string, string>) {
  const repo = TestRepo.create();
  repo.commit("init", files);
  const created = await db.repository.create({ data: { name: randomName("judge"), source: repo.path } });
  await importRepository({ repositoryId: created.id });
  return created;
}

beforeAll(async () => {
  maintainer = (await db.user.create({
    data: { email: `${randomName("m")}@judge.test`, name: "m", role: "maintainer" },
    select: { id: true, email: true, role: true },
  })) as typeof maintainer;
  reviewer = (await db.user.create({
    data: { email: `${randomName("r")}@judge.test`, name: "r", role: "reviewer" },
    select: { id: true, email: true, role: true },
  })) as typeof reviewer;
  repoA = await imported({ "specs/a/spec.md": "# A\n", "specs/owned/spec.md": "# Owned\n" });
  repoB = await imported({ "specs/refunds/spec.md": LONG, "specs/copy/spec.md": "# Shared\n\nThe same text.\n" });
  await db.ownershipRule.create({ data: { repositoryId: repoA.id, position: 1, pattern: "/specs/owned/", owners: ["@core"], source: "manual" } });
  // The shared text is approved in repository B.
  const shared = await db.change.findFirstOrThrow({ where: { spec: { repositoryId: repoB.id, path: "specs/copy/spec.md" } } });
  await decideChange(reviewer, { number: shared.number, kind: "approve", contentHash: shared.currentHash });
});

describe("checks.run", () => {
  it("finds an approved identical copy elsewhere, a new near-duplicate, and an owned deletion", async () => {
    const nearCopy = LONG.replace("Payments refunds", "Refunds in payments");
    const result = await runCheck(maintainer, {
      repository: repoA.name,
      base: sha("a"),
      head: sha("b"),
      files: [
        {
          path: "specs/a/spec.md",
          status: "modified",
          kind: "spec",
          contentHash: hash("# Shared\n\nThe same text.\n"),
          content: "# Shared\n\nThe same text.\n",
          baseContent: "# A\n",
        },
        { path: "specs/new/spec.md", status: "added", kind: "spec", contentHash: hash(nearCopy), content: nearCopy },
        { path: "specs/owned/spec.md", status: "deleted", kind: "spec", contentHash: hash("# Owned\n") },
      ],
    });
    const byPath = Object.fromEntries(result.files.map((f) => [f.path, f]));
    expect(byPath["specs/a/spec.md"].approval).toMatchObject({ state: "approved", via: "copy" });
    expect(byPath["specs/new/spec.md"].items).toContainEqual(
      expect.objectContaining({ rule: "near-duplicate", blocking: false, message: expect.stringContaining(`${repoB.name}:specs/refunds/spec.md`) }),
    );
    expect(byPath["specs/owned/spec.md"]).toMatchObject({ approval: { state: "deleted" }, owners: ["@core"] });
    expect(byPath["specs/owned/spec.md"].items).toContainEqual(expect.objectContaining({ rule: "deleted-owned", blocking: false }));
    expect(result.verdict).toBe("pass");
    expect(await db.auditEvent.count({ where: { action: "check.recorded", subject: `check:${result.id}` } })).toBe(1);
  });

  it("does not report a near-duplicate the base already had", async () => {
    const edited = `${LONG}\nOne more line.\n`;
    const result = await runCheck(maintainer, {
      repository: repoA.name,
      base: sha("a"),
      head: sha("c"),
      files: [{ path: "specs/new/spec.md", status: "modified", kind: "spec", contentHash: hash(edited), content: edited, baseContent: LONG }],
    });
    expect(result.files[0].items.map((i) => i.rule)).not.toContain("near-duplicate");
  });

  it("follows the repository's policy: owned unapproved content annotates instead of failing when set so", async () => {
    const repo = await imported({ "specs/p/spec.md": "# P\n" });
    await db.ownershipRule.create({ data: { repositoryId: repo.id, position: 1, pattern: "*", owners: ["@p"], source: "manual" } });
    // Random text: an approved copy of it anywhere (an earlier run's) would approve it here.
    const next = `# ${randomName("p")}\n`;
    const input = {
      repository: repo.name,
      base: sha("a"),
      head: sha("d"),
      files: [{ path: "specs/p/spec.md", status: "modified" as const, kind: "spec", contentHash: hash(next), content: next, baseContent: "# P\n" }],
    };
    expect((await runCheck(maintainer, input)).verdict).toBe("fail");
    const admin = await db.user.create({
      data: { email: `${randomName("a")}@judge.test`, name: "a", role: "admin" },
      select: { id: true, email: true, role: true },
    });
    await expect(setCheckPolicy(maintainer, { repositoryId: repo.id, policy: { unapprovedOwned: "annotate" } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(setCheckPolicy(admin, { repositoryId: repo.id, policy: { unapprovedOwned: "maybe" } as never })).rejects.toMatchObject({
      code: "unprocessable",
    });
    // Through the API, as an admin's tool would.
    const { POST } = await import("@/app/api/v1/repositories/[id]/check-policy/route");
    const adminToken = (await createToken(admin, { name: "a", scopes: ["admin"], expiresInDays: 1 })).token;
    const set = await POST(
      new NextRequest(`http://localhost/api/v1/repositories/${repo.id}/check-policy`, {
        method: "POST",
        headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
        body: JSON.stringify({ policy: { unapprovedOwned: "annotate" } }),
      }),
      { params: Promise.resolve({ id: repo.id }) },
    );
    expect(set.status).toBe(200);
    expect(await set.json()).toMatchObject({ policy: { unapprovedOwned: "annotate", newErrors: "fail" } });
    expect(await db.auditEvent.count({ where: { action: "repository.check_policy_set", subject: `repository:${repo.id}` } })).toBe(1);
    const relaxed = await runCheck(maintainer, input);
    expect(relaxed.verdict).toBe("pass");
    expect(relaxed.files[0].items).toContainEqual(expect.objectContaining({ rule: "unapproved-owned", blocking: false }));
    // A proposal with exactly that content is named, and approving it passes the default policy too.
    await setCheckPolicy(admin, { repositoryId: repo.id, policy: null });
    const spec = await db.spec.findFirstOrThrow({ where: { repositoryId: repo.id, path: "specs/p/spec.md" } });
    const change = await proposeChange(maintainer, { specId: spec.id, content: next, title: "P2" });
    expect((await runCheck(maintainer, input)).files[0]).toMatchObject({ approval: { state: "pending", change: change.number } });
    await decideChange(reviewer, { number: change.number, kind: "approve", contentHash: change.currentHash });
    expect(await runCheck(maintainer, input)).toMatchObject({ verdict: "pass", files: [{ approval: { state: "approved", via: "change" } }] });
  });

  it("fails on a new security finding in agent configuration, even where new errors only annotate", async () => {
    const repo = await imported({ "specs/s/spec.md": "# S\n" });
    const admin = await db.user.create({
      data: { email: `${randomName("a")}@judge.test`, name: "a", role: "admin" },
      select: { id: true, email: true, role: true },
    });
    const mcp = (args: string[]) => JSON.stringify({ mcpServers: { fs: { command: "npx", args } } }, null, 2);
    const unpinned = mcp(["-y", "@modelcontextprotocol/server-filesystem", "."]);
    const check = (content: string) =>
      runCheck(maintainer, {
        repository: repo.name,
        base: sha("a"),
        head: sha("e"),
        files: [{ path: ".mcp.json", status: "added" as const, kind: "tool-config", contentHash: hash(content), content }],
      });
    await setCheckPolicy(admin, { repositoryId: repo.id, policy: { newErrors: "annotate", unapprovedUnowned: "annotate" } });
    const failed = await check(unpinned);
    expect(failed.verdict).toBe("fail");
    expect(failed.files[0]).toMatchObject({ kind: "tool-config" });
    expect(failed.files[0].items).toContainEqual(expect.objectContaining({ rule: "agent-mcp-unpinned", blocking: true, level: "error" }));
    // Pinned, nothing blocks.
    const pinned = await check(mcp(["-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "."]));
    expect(pinned.verdict).toBe("pass");
    expect(pinned.files[0].items.filter((i) => i.category === "lint")).toEqual([]);
    // The repository's admins may choose to only annotate security findings.
    await setCheckPolicy(admin, { repositoryId: repo.id, policy: { security: "annotate", unapprovedUnowned: "annotate" } });
    expect((await check(unpinned)).verdict).toBe("pass");
  });

  it("fails on an unapproved contract change that breaks its consumers, or that it cannot classify; passes an additive one and an approved one", async () => {
    // A random title: an approved copy of these bytes anywhere (an earlier run's) would approve them here.
    const title = randomName("pets");
    const contract = (paths: string) => `openapi: 3.0.3\ninfo:\n  title: ${title}\n  version: "1"\npaths:\n${paths}`;
    const list = `  /pets:\n    get:\n      responses:\n        "200":\n          description: The pets\n`;
    const one = `  /pets/{id}:\n    get:\n      parameters:\n        - name: id\n          in: path\n          required: true\n          schema:\n            type: string\n      responses:\n        "200":\n          description: One pet\n`;
    const add = `  /owners:\n    get:\n      responses:\n        "200":\n          description: The owners\n`;
    const base = contract(list + one);
    const path = "specs/pets/contracts/openapi.yaml";
    const repo = await imported({ "specs/pets/spec.md": "# Pets\n", [path]: base });
    const check = (head: string, extra: Partial<{ content: string; baseContent: string }> = {}) =>
      runCheck(maintainer, {
        repository: repo.name,
        base: sha("a"),
        head: sha("e"),
        files: [{ path, status: "modified", kind: "contract", contentHash: hash(head), content: head, baseContent: base, ...extra }],
      });
    const contractItems = (result: Awaited<ReturnType<typeof check>>) => result.files[0].items.filter((i) => i.category === "contract");

    // Removing an operation breaks its consumers: a blocking error naming it.
    const removed = contract(list);
    const broken = await check(removed);
    expect(broken.verdict).toBe("fail");
    expect(contractItems(broken)).toEqual([
      expect.objectContaining({
        rule: "breaking-contract",
        blocking: true,
        level: "error",
        message: expect.stringMatching(/^Breaks this contract's consumers \(1 breaking: removed .*GET \/pets\/\{id\}/),
      }),
    ]);
    // Adding one breaks nothing (the unowned, unapproved content only annotates).
    const added = await check(contract(list + one + add));
    expect(contractItems(added)).toEqual([]);
    expect(added.verdict).toBe("pass");
    // Text that does not parse, or that was not sent, cannot be classified: treated as breaking.
    const garbled = `${base}  : [unclosed\n`;
    expect(contractItems(await check(garbled))).toEqual([
      expect.objectContaining({ blocking: true, message: expect.stringContaining("Not fully classified") }),
    ]);
    expect(contractItems(await check(removed, { content: undefined }))).toEqual([
      expect.objectContaining({ blocking: true, message: expect.stringContaining("could not be classified") }),
    ]);
    // The policy can make it annotate.
    const admin = await db.user.create({
      data: { email: `${randomName("a")}@judge.test`, name: "a", role: "admin" },
      select: { id: true, email: true, role: true },
    });
    await setCheckPolicy(admin, { repositoryId: repo.id, policy: { breakingContracts: "annotate" } });
    const annotated = await check(removed);
    expect(annotated.verdict).toBe("pass");
    expect(contractItems(annotated)).toEqual([expect.objectContaining({ rule: "breaking-contract", blocking: false })]);
    await setCheckPolicy(admin, { repositoryId: repo.id, policy: null });
    // An approved change from exactly this base to exactly this head carries its review (a breaking
    // change needs a contract owner's approval there): no contract item.
    const spec = await db.spec.findFirstOrThrow({ where: { repositoryId: repo.id, path } });
    await db.spec.update({ where: { id: spec.id }, data: { owners: [reviewer.email] } });
    const change = await proposeChange(maintainer, { specId: spec.id, content: removed, title: "Drop GET /pets/{id}" });
    await decideChange(reviewer, { number: change.number, kind: "approve", contentHash: change.currentHash });
    const approved = await check(removed);
    expect(approved.files[0].approval).toMatchObject({ state: "approved" });
    expect(contractItems(approved)).toEqual([]);
    expect(approved.verdict).toBe("pass");
    // The same approved bytes against another base (a revert past a later addition): the review
    // never saw what this pull request removes, so the removal is judged.
    const later = contract(list + one + add);
    const revert = await check(removed, { baseContent: later });
    expect(revert.files[0].approval).toMatchObject({ state: "approved" });
    expect(contractItems(revert)).toEqual([expect.objectContaining({ blocking: true, message: expect.stringContaining("removed") })]);
    expect(revert.verdict).toBe("fail");
  });

  it("fails on a deleted contract unless one the pull request adds replaces it without breaking changes (a move)", async () => {
    const title = randomName("orders");
    const doc = (extra: string) =>
      `openapi: 3.0.3\ninfo:\n  title: ${title}\n  version: "1"\npaths:\n  /orders:\n    get:\n      responses:\n        "200":\n          description: Orders\n${extra}`;
    const text = doc("");
    const path = "specs/orders/contracts/openapi.yaml";
    const repo = await imported({ "specs/orders/spec.md": "# Orders\n", [path]: text });
    const deleted = { path, status: "deleted" as const, kind: "contract", contentHash: hash(text), baseContent: text };
    const check = (...files: object[]) => runCheck(maintainer, { repository: repo.name, base: sha("a"), head: sha("f"), files: [deleted, ...files] as never });
    const itemsOf = (result: Awaited<ReturnType<typeof check>>, p: string) =>
      result.files.find((f) => f.path === p)!.items.filter((i) => i.category === "contract");

    const gone = await check();
    expect(itemsOf(gone, path)).toEqual([expect.objectContaining({ blocking: true, message: expect.stringMatching(/^Deletes this contract/) })]);
    expect(gone.verdict).toBe("fail");
    // Moved unchanged (or with additions only): nothing breaks.
    const to = "specs/orders-v2/contracts/openapi.yaml";
    const moved = await check({ path: to, status: "added", kind: "contract", contentHash: hash(text), content: text });
    expect(itemsOf(moved, path)).toEqual([]);
    expect(itemsOf(moved, to)).toEqual([]);
    // Moved and cut down: the move is named with what it breaks.
    const cut = `openapi: 3.0.3\ninfo:\n  title: ${title}\n  version: "1"\npaths: {}\n`;
    const broken = await check({ path: to, status: "added", kind: "contract", contentHash: hash(cut), content: cut });
    expect(itemsOf(broken, path)).toEqual([
      expect.objectContaining({ blocking: true, message: expect.stringContaining(`Moves this contract to ${to} and breaks`) }),
    ]);
  });

  it("judges a contract recognised by its content like one recognised by its name; other YAML is not governed", async () => {
    const title = randomName("stock");
    const doc = (extra: string) =>
      `openapi: 3.0.3\ninfo:\n  title: ${title}\n  version: "1"\npaths:\n  /stock:\n    get:\n      responses:\n        "200":\n          description: Stock\n${extra}`;
    const base = doc(`  /stock/{id}:\n    get:\n      responses:\n        "200":\n          description: One\n`);
    const repo = await imported({ "specs/stock/spec.md": "# Stock\n", "api/stock.yaml": base });
    const removed = doc("");
    const config = "name: ci\non: push\n";
    const result = await runCheck(maintainer, {
      repository: repo.name,
      base: sha("a"),
      head: sha("b"),
      files: [
        { path: "api/stock.yaml", status: "modified", kind: "contract", contentHash: hash(removed), content: removed, baseContent: base },
        // Added under a name no kind rule knows, recognised by its text.
        { path: "docs/events.json", status: "added", kind: "contract", contentHash: hash('{"asyncapi": "3.0.0"}'), content: '{"asyncapi": "3.0.0"}' },
        { path: ".github/workflows/ci.yml", status: "added", kind: "spec", contentHash: hash(config), content: config },
      ],
    });
    expect(result.files.map((f) => f.path).sort()).toEqual(["api/stock.yaml", "docs/events.json"]);
    const items = result.files.find((f) => f.path === "api/stock.yaml")!.items.filter((i) => i.category === "contract");
    expect(items).toEqual([expect.objectContaining({ rule: "breaking-contract", blocking: true })]);
    // Stored as a contract by the import, it stays governed when the pull request deletes it (text not sent).
    const deleted = await runCheck(maintainer, {
      repository: repo.name,
      base: sha("a"),
      head: sha("c"),
      files: [{ path: "api/stock.yaml", status: "deleted", kind: "contract", contentHash: hash(base) }],
    });
    expect(deleted.files.map((f) => f.path)).toEqual(["api/stock.yaml"]);
    expect(deleted.verdict).toBe("fail");

    // A contract file whose text was not sent (too large) is taken as the CLI names it: checked, not dropped.
    const big = await runCheck(maintainer, {
      repository: repo.name,
      base: sha("a"),
      head: sha("d"),
      files: [{ path: "api/big.yaml", status: "added", kind: "contract", contentHash: hash("big") }],
    });
    expect(big.files.map((f) => [f.path, f.kind])).toEqual([["api/big.yaml", "contract"]]);
    // A stored contract edited into text that declares nothing: the CLI names it only as a changed path.
    const undeclared = await runCheck(maintainer, {
      repository: repo.name,
      base: sha("a"),
      head: sha("e"),
      files: [],
      changedPaths: ["api/stock.yaml", "src/index.ts"],
    });
    expect(undeclared.verdict).toBe("fail");
    expect(undeclared.files).toEqual([
      expect.objectContaining({
        path: "api/stock.yaml",
        kind: "contract",
        approval: { state: "unknown" },
        items: [expect.objectContaining({ rule: "breaking-contract", blocking: true, message: expect.stringContaining("no longer declares one") })],
      }),
    ]);
  });

  it("matches the repository by remote URL, and refuses an unknown one", async () => {
    const result = await runCheck(maintainer, { remoteUrl: `file://${repoA.source}`, base: sha("a"), head: sha("e"), files: [] });
    expect(result).toMatchObject({ repository: { id: repoA.id }, verdict: "pass", summary: { files: 0 } });
    await expect(runCheck(maintainer, { remoteUrl: "https://github.com/nobody/nothing.git", base: sha("a"), head: sha("e"), files: [] })).rejects.toMatchObject(
      { code: "not_found" },
    );
  });

  it("checks a skill's bundled file only inside a skill folder: one this check adds, not an unrelated skills/ folder", async () => {
    const text = (t: string) => ({ contentHash: hash(t), content: t });
    const result = await runCheck(maintainer, {
      repository: repoA.name,
      base: sha("a"),
      head: sha("f"),
      files: [
        { path: ".claude/skills/pdf/SKILL.md", status: "added", kind: "skill", ...text("---\nname: pdf\ndescription: Fill PDF forms.\n---\n# PDF\n") },
        { path: ".claude/skills/pdf/scripts/fill.py", status: "added", kind: "skill-file", ...text("print('fill')\n") },
        { path: "src/skills/parser/index.ts", status: "added", kind: "skill-file", ...text("export {};\n") },
      ],
    });
    expect(result.files.map((f) => f.path).sort()).toEqual([".claude/skills/pdf/SKILL.md", ".claude/skills/pdf/scripts/fill.py"]);
  });

  it("refuses malformed input: no repository, a path twice, a bad hash, a path outside the repository, and viewers", async () => {
    const file = { path: "specs/a/spec.md", status: "modified" as const, kind: "spec", contentHash: hash("x") };
    const base = { repository: repoA.name, base: sha("a"), head: sha("b") };
    await expect(runCheck(maintainer, { base: sha("a"), head: sha("b"), files: [] })).rejects.toMatchObject({ code: "unprocessable" });
    await expect(runCheck(maintainer, { ...base, files: [file, file] })).rejects.toMatchObject({ code: "unprocessable" });
    await expect(runCheck(maintainer, { ...base, files: [{ ...file, contentHash: "abc" }] })).rejects.toMatchObject({ code: "unprocessable" });
    await expect(runCheck(maintainer, { ...base, files: [{ ...file, path: "../etc/passwd" }] })).rejects.toMatchObject({ code: "unprocessable" });
    // Approved bytes named by hash, other text sent to lint: refused, not judged half on each.
    await expect(runCheck(maintainer, { ...base, files: [{ ...file, content: "# Something else\n" }] })).rejects.toMatchObject({
      code: "unprocessable",
      message: expect.stringContaining("does not hash to its contentHash"),
    });
    const viewer = await db.user.create({
      data: { email: `${randomName("v")}@judge.test`, name: "v", role: "viewer" },
      select: { id: true, email: true, role: true },
    });
    await expect(runCheck(viewer, { ...base, files: [] })).rejects.toMatchObject({ code: "forbidden" });
  });

  it("answers 415 for a body that is not JSON and 422 for one that does not parse as a check, over HTTP", async () => {
    const { POST } = await import("@/app/api/v1/checks/route");
    const token = (await createToken(maintainer, { name: "ci", scopes: ["checks:write"], expiresInDays: 1 })).token;
    const send = (body: string, type = "application/json") =>
      POST(new NextRequest("http://localhost/api/v1/checks", { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": type }, body }), {
        params: Promise.resolve({}),
      });
    expect((await send("{}", "text/plain")).status).toBe(415);
    expect((await send("{")).status).toBe(400);
    expect((await send(JSON.stringify({ repository: repoA.name, base: "main", head: sha("b"), files: [] }))).status).toBe(422);
    const before = await db.check.count({ where: { repositoryId: repoA.id } });
    expect((await send(JSON.stringify({ repository: repoA.name, base: sha("a"), head: sha("b"), files: [], extra: 1 }))).status).toBe(422);
    expect(await db.check.count({ where: { repositoryId: repoA.id } })).toBe(before);
  });
});

// What a check says about governed files a pull request leaves unchanged: the specs whose code
// it changes without them (drift) and the references it breaks by deleting what they name, on a
// real imported repository, through the operation.
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { runCheck, setCheckPolicy } from "@/lib/operations/checks";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";

const hash = (text: string) => createHash("sha256").update(text).digest("hex");
const sha = (c: string) => c.repeat(40);

const BILLING = "---\ngoverns:\n  - src/billing/**\n---\n# Billing\n\n- WHEN an invoice is due THE SYSTEM SHALL charge the card.\n";
const AUTH = "# Sign-in\n\n- WHEN a user signs in THE SYSTEM SHALL check the password.\n";
const AUTH_TASKS = "# Tasks\n\n- [ ] T001 Write the login handler in `src/auth/login.ts`\n";
const FREE = "# Free text\n\nNo governs, no tasks: the code beside the specs folder is everything.\n";
// Spec Kit's "Path Conventions": bare folders, which govern nearly everything.
const CONVENTIONS = "# Conventions\n\nNothing of its own.\n";
const CONVENTIONS_TASKS = "# Tasks\n\n## Path Conventions\n\n- Single project: `src/`, `tests/` at repository root\n";
const AGENTS = "# Agents\n\nRead `docs/setup.md` before you start. Tests live in `src/`.\n";

let admin: { id: string; email: string; role: "admin" };
let maintainer: { id: string; email: string; role: "maintainer" };
let repo: { id: string; name: string };
let billingId: string;

beforeAll(async () => {
  const user = (role: "admin" | "maintainer") =>
    db.user.create({ data: { email: `${randomName(role)}@unchanged.test`, name: role, role }, select: { id: true, email: true, role: true } });
  admin = (await user("admin")) as typeof admin;
  maintainer = (await user("maintainer")) as typeof maintainer;
  const git = TestRepo.create();
  git.commit("init", {
    "specs/billing/spec.md": BILLING,
    "specs/001-auth/spec.md": AUTH,
    "specs/001-auth/tasks.md": AUTH_TASKS,
    "specs/002-free/spec.md": FREE,
    "specs/003-conventions/spec.md": CONVENTIONS,
    "specs/003-conventions/tasks.md": CONVENTIONS_TASKS,
    "AGENTS.md": AGENTS,
    "docs/setup.md": "# Setup\n",
    "src/billing/charge.ts": "export {};\n",
    "src/auth/login.ts": "export {};\n",
  });
  repo = await db.repository.create({ data: { name: randomName("unchanged"), source: git.path }, select: { id: true, name: true } });
  await importRepository({ repositoryId: repo.id });
  billingId = (await db.spec.findFirstOrThrow({ where: { repositoryId: repo.id, path: "specs/billing/spec.md" } })).id;
});

const check = (more: Partial<Parameters<typeof runCheck>[1]>) =>
  runCheck(maintainer, { repository: repo.name, base: sha("a"), head: sha("b"), files: [], ...more } as Parameters<typeof runCheck>[1]);

describe("a check's unchanged files", () => {
  it("names the specs whose governed code the pull request changes without them, by governs: globs or by the files the feature's tasks name, not by bare folders", async () => {
    const result = await check({ changedPaths: ["src/billing/charge.ts", "src/auth/login.ts", "src/other.ts"] });
    expect(result.verdict).toBe("pass");
    expect(result.summary).toMatchObject({ files: 0, blocking: 0, warnings: 1 });
    expect(result.files.map((f) => f.path)).toEqual(["specs/001-auth/spec.md", "specs/billing/spec.md"]);
    const billing = result.files.find((f) => f.path === "specs/billing/spec.md")!;
    expect(billing).toMatchObject({ status: "unchanged", kind: "spec", contentHash: hash(BILLING), approval: { state: "unchanged" } });
    expect(billing.items).toEqual([
      expect.objectContaining({ category: "drift", rule: "spec-drift", level: "warning", blocking: false, link: `/specs/${billingId}` }),
    ]);
    expect(billing.items[0].message).toContain("changes 1 path this spec governs (by its governs: globs): src/billing/charge.ts, but not the spec");
    // Through the files tasks name, drift is a note: such stale findings were right 10 of 15 times (decision 048).
    const auth = result.files.find((f) => f.path === "specs/001-auth/spec.md")!;
    expect(auth.items[0]).toMatchObject({ level: "note", blocking: false });
    expect(auth.items[0].message).toContain("(by the files its feature's tasks and plan name): src/auth/login.ts");
  });

  it("counts the governed files a pull request changes too, without any other path, and ignores paths too long to match safely", async () => {
    const agents = "# Billing agents\n\nRun the billing tests.\n";
    const onlyGoverned = await check({
      files: [{ path: "src/billing/AGENTS.md", status: "added", kind: "agent", contentHash: hash(agents), content: agents }],
      changedPaths: [],
    });
    expect(onlyGoverned.files.filter((f) => f.status === "unchanged").map((f) => f.path)).toEqual(["specs/billing/spec.md"]);
    const long = `src/billing/${"x".repeat(400)}.ts`;
    expect((await check({ changedPaths: [long] })).files).toEqual([]);
  });

  it("keeps a feature's stored tasks when the pull request edits them without sending the text", async () => {
    const result = await check({
      files: [{ path: "specs/001-auth/tasks.md", status: "modified", kind: "tasks", contentHash: hash("not sent"), brokenReferences: [] }],
      changedPaths: ["src/auth/login.ts"],
    });
    expect(result.files.filter((f) => f.status === "unchanged").map((f) => f.path)).toEqual(["specs/001-auth/spec.md"]);
  });

  it("leaves out a spec the pull request also edits, and reads governance from the texts the pull request leaves", async () => {
    const billing = `${BILLING}\n- WHEN a card is declined THE SYSTEM SHALL retry once.\n`;
    const tasks = "# Tasks\n\n- [ ] T001 Write the login handler in `src/session/login.ts`\n";
    const result = await check({
      files: [
        { path: "specs/billing/spec.md", status: "modified", kind: "spec", contentHash: hash(billing), content: billing, baseContent: BILLING },
        { path: "specs/001-auth/tasks.md", status: "modified", kind: "tasks", contentHash: hash(tasks), content: tasks, baseContent: AUTH_TASKS },
      ],
      changedPaths: ["src/billing/charge.ts", "src/auth/login.ts"],
    });
    expect(result.files.filter((f) => f.status === "unchanged")).toEqual([]);
  });

  it("notes drift the base already has without blaming the pull request for it, and follows the repository's policy", async () => {
    const finding = await db.finding.create({
      data: {
        fingerprint: `stale:${billingId}:${randomName("base")}`,
        type: "stale",
        rule: "stale",
        severity: "warning",
        repositoryId: repo.id,
        specId: billingId,
        message: "Code governed by specs/billing/spec.md changed in 3 commits.",
        evidence: {},
      },
    });
    const changedPaths = ["src/billing/charge.ts", "src/auth/login.ts"];
    const noted = await check({ changedPaths });
    expect(noted.files.find((f) => f.path === "specs/billing/spec.md")!.items[0]).toMatchObject({ rule: "spec-drift", level: "note", blocking: false });
    expect(noted.files.find((f) => f.path === "specs/billing/spec.md")!.items[0].message).toContain(
      "already reported stale; this pull request changes 1 more path",
    );

    // Failing on drift fails on new drift by governs: globs only; what the base already had, and drift
    // through the files tasks name, stay notes.
    await setCheckPolicy(admin, { repositoryId: repo.id, policy: { drift: "fail" } });
    const passed = await check({ changedPaths });
    expect(passed).toMatchObject({ verdict: "pass", summary: { blocking: 0 } });
    expect(passed.files.find((f) => f.path === "specs/001-auth/spec.md")!.items[0]).toMatchObject({ level: "note", blocking: false });
    expect(passed.files.find((f) => f.path === "specs/billing/spec.md")!.items[0]).toMatchObject({ level: "note", blocking: false });
    // A dismissed stale finding exempts nothing: this pull request's drift is new.
    await db.finding.update({ where: { id: finding.id }, data: { status: "dismissed" } });
    const failed = await check({ changedPaths });
    expect(failed).toMatchObject({ verdict: "fail", summary: { blocking: 1 } });
    expect(failed.files.find((f) => f.path === "specs/billing/spec.md")!.items[0]).toMatchObject({ level: "error", blocking: true });
    await setCheckPolicy(admin, { repositoryId: repo.id, policy: { drift: "off" } });
    expect((await check({ changedPaths })).files).toEqual([]);
    await setCheckPolicy(admin, { repositoryId: repo.id, policy: null });
  });

  it("reports references in unchanged files to what the pull request deletes, for files the server governs", async () => {
    const result = await check({
      unchangedFiles: [
        { path: "AGENTS.md", contentHash: hash(AGENTS), brokenReferences: [{ line: 3, written: "docs/setup.md", path: "docs/setup.md" }] },
        // Not a governed path by the server's kind rules: left out.
        { path: "src/notes.txt", contentHash: hash("x"), brokenReferences: [{ line: 1, written: "docs/setup.md", path: "docs/setup.md" }] },
      ],
    });
    expect(result.files).toEqual([
      expect.objectContaining({
        path: "AGENTS.md",
        status: "unchanged",
        kind: "agent",
        approval: { state: "unchanged" },
        items: [expect.objectContaining({ category: "reference", rule: "broken-reference", line: 3, level: "warning", blocking: false })],
      }),
    ]);
    expect(result.files[0].items[0].message).toBe("Names docs/setup.md, which this pull request deletes or moves. Update the reference, or keep the path.");
  });

  it("refuses a file sent as both changed and unchanged, and changes nothing", async () => {
    const before = await db.check.count({ where: { repositoryId: repo.id } });
    await expect(
      check({
        files: [{ path: "AGENTS.md", status: "modified", kind: "agent", contentHash: hash(AGENTS), content: AGENTS, baseContent: AGENTS }],
        unchangedFiles: [{ path: "AGENTS.md", contentHash: hash(AGENTS), brokenReferences: [{ line: 3, written: "docs/setup.md", path: "docs/setup.md" }] }],
      }),
    ).rejects.toMatchObject({ code: "unprocessable", message: expect.stringContaining("either changed or unchanged") });
    expect(await db.check.count({ where: { repositoryId: repo.id } })).toBe(before);
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { decideChange } from "@/lib/operations/reviews";
import { importRepository } from "@/lib/repositories/import";
import { isolatedCli } from "@/lib/testing/cli";
import { TestRepo, randomName } from "@/lib/testing/git-repo";

const cli = isolatedCli({ env: { SPECLEDGER_USER: "" }, cwd: os.tmpdir() });
const cleanup: (() => void)[] = [cli.remove];
afterAll(() => cleanup.forEach((remove) => remove()));

const specledger = cli.run;

const SPEC = "specs/001-login/spec.md";
const BASE = "# Login\n\nUsers sign in.\n\n## Sessions\n\nSessions last a day.\n";

async function setup() {
  const repo = TestRepo.create();
  cleanup.push(() => repo.remove());
  repo.commit("add spec", { [SPEC]: BASE, "AGENTS.md": "# Agents\n" });
  const record = await db.repository.create({ data: { name: randomName("cli-review"), source: repo.path } });
  await importRepository({ repositoryId: record.id });
  const [author, reviewer] = await Promise.all(
    (["maintainer", "reviewer"] as const).map((role) =>
      db.user.create({ data: { email: `${randomName(role)}@cli.test`, name: role, role }, select: { id: true, email: true, role: true } }),
    ),
  );
  return { repo, record, author, reviewer };
}

describe("specledger propose and apply", () => {
  it("proposes from a working tree, refuses until approved, then writes the approved bytes that the next import finds approved", async () => {
    const { repo, record, author, reviewer } = await setup();
    const proposed = BASE.replace("a day", "eight hours");
    repo.write({ [SPEC]: proposed });

    expect((await specledger(["propose", path.join(repo.path, SPEC), "--repo", record.name, "--title", "Shorter sessions"])).code).toBe(2);
    const result = await specledger(
      ["propose", SPEC, "--repo", record.name, "--title", "Shorter sessions", "--as", author.email, "--json"],
      {},
      { cwd: repo.path },
    );
    expect(result.code, result.stderr).toBe(0);
    const { number, state } = JSON.parse(result.stdout) as { number: number; state: string };
    expect(state).toBe("proposed");

    repo.git("checkout", "--", SPEC);
    const early = await specledger(["apply", `#${number}`, "--dir", repo.path]);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/is proposed: only approved changes are applied/);
    expect(fs.readFileSync(path.join(repo.path, SPEC), "utf8")).toBe(BASE);

    const change = await db.change.findUniqueOrThrow({ where: { number } });
    await decideChange(reviewer, { number, kind: "approve", contentHash: change.currentHash });
    const applied = await specledger(["apply", String(number), "--dir", repo.path, "--json"]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(JSON.parse(applied.stdout)).toMatchObject({ outcome: "written" });
    expect(fs.readFileSync(path.join(repo.path, SPEC), "utf8")).toBe(proposed);
    expect(JSON.parse((await specledger(["apply", String(number), "--dir", repo.path, "--json"])).stdout)).toMatchObject({ outcome: "already-applied" });

    repo.commit("apply #" + number);
    await importRepository({ repositoryId: record.id });
    const version = await db.specVersion.findFirstOrThrow({ where: { spec: { repositoryId: record.id, path: SPEC } }, orderBy: { seq: "desc" } });
    expect(await db.change.findUniqueOrThrow({ where: { versionId: version.id } })).toMatchObject({ state: "approved" });
  }, 180_000);

  it("patches a file that moved on, and refuses when the patch does not apply", async () => {
    const { repo, record, author, reviewer } = await setup();
    repo.write({ [SPEC]: BASE.replace("a day", "eight hours") });
    const { stdout } = await specledger(["propose", path.join(repo.path, SPEC), "--repo", record.name, "--title", "t", "--as", author.email, "--json"]);
    const { number } = JSON.parse(stdout) as { number: number };
    const change = await db.change.findUniqueOrThrow({ where: { number } });
    await decideChange(reviewer, { number, kind: "approve", contentHash: change.currentHash });

    repo.write({ [SPEC]: "# Sign-in\n" + BASE.slice("# Login\n".length) }); // an unrelated edit above
    const patched = await specledger(["apply", String(number), "--dir", repo.path, "--json"]);
    expect(patched.code, patched.stderr).toBe(0);
    expect(JSON.parse(patched.stdout)).toMatchObject({ outcome: "patched" });
    expect(fs.readFileSync(path.join(repo.path, SPEC), "utf8")).toBe("# Sign-in\n\nUsers sign in.\n\n## Sessions\n\nSessions last eight hours.\n");

    repo.write({ [SPEC]: BASE.replace("a day", "a week") }); // the same line, changed otherwise
    const refused = await specledger(["apply", String(number), "--dir", repo.path]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/patch does not apply/);
    expect(fs.readFileSync(path.join(repo.path, SPEC), "utf8")).toBe(BASE.replace("a day", "a week"));
  }, 180_000);

  it("refuses binary files, unknown specs and unknown users, and writes nothing", async () => {
    const { repo, record, author } = await setup();
    const before = await db.change.count();
    repo.write({ [SPEC]: Buffer.from([0x23, 0x00, 0x01]) });
    const binary = await specledger(["propose", path.join(repo.path, SPEC), "--repo", record.name, "--title", "t", "--as", author.email]);
    expect(binary.code).toBe(1);
    expect(binary.stderr).toMatch(/Binary file/);
    repo.write({ "specs/new.md": "# New\n" });
    const unknown = await specledger(["propose", path.join(repo.path, "specs/new.md"), "--repo", record.name, "--title", "t", "--as", author.email]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No live spec at specs\/new.md/);
    const nobody = await specledger(["propose", path.join(repo.path, "specs/new.md"), "--repo", record.name, "--title", "t", "--as", "nobody@cli.test"]);
    expect(nobody.code).toBe(1);
    expect(await db.change.count()).toBe(before);
  });
});

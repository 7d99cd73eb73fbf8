import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isolatedCli } from "@/lib/testing/cli";
import { serveGit } from "@/lib/testing/git-daemon";
import { TestRepo, randomName } from "@/lib/testing/git-repo";

// By default against the test database vitest set up (DATABASE_URL comes from the environment).
const cli = isolatedCli({ cwd: os.tmpdir() });
const cleanup: (() => void)[] = [cli.remove];
afterAll(() => cleanup.forEach((remove) => remove()));

const specledger = cli.run;

describe("specledger import", () => {
  it("imports a git repository and prints the import record as JSON", async () => {
    const repo = TestRepo.create();
    cleanup.push(() => repo.remove());
    repo.commit("add specs", {
      "specs/001-login/spec.md": "# Login\n\nUsers sign in.\n",
      "AGENTS.md": "# Agents\n- Use pnpm\n",
    });
    repo.commit("edit spec", { "specs/001-login/spec.md": "# Login\n\nUsers sign in with a password.\n" });

    const name = randomName("cli");
    const result = await specledger(["import", repo.path, "--json", "--name", name]);
    expect(result.code, result.stderr).toBe(0);
    const record = JSON.parse(result.stdout);
    expect(record).toMatchObject({ status: "succeeded", commitsScanned: 2, commitsWithSpecChanges: 2, commitsRead: 2, specsAdded: 2, error: null });
    expect(record.versionsAdded).toBeGreaterThan(0);

    // Run again from inside the repository with a relative path: same repository, nothing new.
    repo.commit("another edit", { "AGENTS.md": "# Agents\n- Use pnpm\n- Run tests\n" });
    repo.commit("code only", { "src/index.ts": "export {};\n" });
    const again = await specledger(["import", ".", "--json"], {}, { cwd: repo.path });
    expect(again.code, again.stderr).toBe(0);
    const second = JSON.parse(again.stdout);
    expect(second.repositoryId).toBe(record.repositoryId);
    expect(second).toMatchObject({ status: "succeeded", commitsScanned: 2, commitsWithSpecChanges: 1, versionsAdded: 1, specsAdded: 0 });

    // Without --json: the figures named for what they count, then nothing new.
    repo.commit("more code", { "src/index.ts": "export const x = 1;\n" });
    const third = await specledger(["import", "."], {}, { cwd: repo.path });
    expect(third.code, third.stderr).toBe(0);
    expect(third.stdout.trim()).toBe(`Imported ${name}: 1 commit read (0 with spec changes); 0 new versions, 0 new specs`);
    const fourth = await specledger(["import", "."], {}, { cwd: repo.path });
    expect(fourth.stdout.trim()).toBe(`Imported ${name}: no new commits, already up to date`);
  }, 180_000);

  it("fails with exit code 1 and says why when the folder is not a git repository", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "specledger-not-a-repo-"));
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));

    const result = await specledger(["import", dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("not a git repository");
    expect(result.stdout).toBe("");
  });

  it("says in one line that the findings failed after an import, and exits with code 7", async () => {
    // A blobless clone whose remote is gone: the import reads the spec (checked out, so
    // present), but the stale check counts the lines of the code commit it lists, which needs the
    // older code blob, and git can no longer fetch it.
    // Before, this printed pages of git's repeated messages and exited 0.
    const repo = TestRepo.create();
    cleanup.push(() => repo.remove());
    repo.git("config", "uploadpack.allowFilter", "true");
    repo.commit("spec and code", { "specs/001-x/spec.md": "---\ngoverns: [src/**]\n---\n# X\n\nThe code does x.\n", "src/a.ts": "export const a = 1;\n" });
    repo.commit("code only", { "src/a.ts": "export const a = 2;\n" });
    const clone = fs.mkdtempSync(path.join(os.tmpdir(), "specledger-blobless-"));
    cleanup.push(() => fs.rmSync(clone, { recursive: true, force: true }));
    const server = await serveGit([repo.path]);
    try {
      execFileSync("git", ["clone", "-q", "--filter=blob:none", server.urlOf(repo.path), clone], { stdio: "ignore" });
    } finally {
      server.stop();
    }

    const result = await specledger(["import", clone, "--name", randomName("blobless")]);
    expect(result.code, result.stderr).toBe(7);
    const told = result.stderr.split("\n").filter((line) => line.includes("findings for this repository failed"));
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/^specledger: imported 1 version; findings for this repository failed: git log( --[a-z=-]+)? exited with \d+: /);
    // One line, not git's output: no other line of stderr (the progress phases) carries git's words.
    expect(result.stderr.split("\n").filter((line) => /fatal:|promisor|errno|GitError/.test(line) && !told.includes(line))).toEqual([]);
    expect(result.stderr.length).toBeLessThan(1000);
    expect(result.stdout).toMatch(/^Imported blobless-/);

    // The import record keeps the cause in one line: the repository page shows it as it is.
    const again = await specledger(["import", clone, "--json"]);
    expect(again.code).toBe(7);
    const record = JSON.parse(again.stdout);
    expect(record.status).toBe("succeeded");
    expect(record.followUpError).toMatch(/^Computing findings failed \(the hourly sweep retries\): git log( --[a-z=-]+)? exited with \d+: /);
    expect(record.followUpError).not.toContain("\n");
  }, 180_000);

  it("exits with code 2 on a usage error", async () => {
    const result = await specledger(["import"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("missing required argument");
  });

  it("exits with code 3 when the database cannot be reached", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "specledger-unreachable-"));
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    // Port 1 is reserved and never runs PostgreSQL, so the connection is refused at once.
    const result = await specledger(["import", dir], { DATABASE_URL: "postgresql://postgres:x@127.0.0.1:1/specledger" });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("Cannot connect to the database");
    expect(result.stderr).not.toContain(":x@");
  });
});

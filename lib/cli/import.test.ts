import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TestRepo, randomName } from "@/lib/testing/git-repo";

const bin = path.resolve(import.meta.dirname, "../../bin/specledger.js");
const cleanup: (() => void)[] = [];
afterAll(() => cleanup.forEach((remove) => remove()));

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in a child process, by default against the test database vitest set up. */
function specledger(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  const env = { ...process.env, ...opts.env };
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: opts.cwd ?? os.tmpdir(), env }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

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
    const again = await specledger(["import", ".", "--json"], { cwd: repo.path });
    expect(again.code, again.stderr).toBe(0);
    const second = JSON.parse(again.stdout);
    expect(second.repositoryId).toBe(record.repositoryId);
    expect(second).toMatchObject({ status: "succeeded", commitsScanned: 2, commitsWithSpecChanges: 1, versionsAdded: 1, specsAdded: 0 });

    // Without --json: the figures named for what they count, then nothing new.
    repo.commit("more code", { "src/index.ts": "export const x = 1;\n" });
    const third = await specledger(["import", "."], { cwd: repo.path });
    expect(third.code, third.stderr).toBe(0);
    expect(third.stdout.trim()).toBe(`Imported ${name}: 1 commit read (0 with spec changes); 0 new versions, 0 new specs`);
    const fourth = await specledger(["import", "."], { cwd: repo.path });
    expect(fourth.stdout.trim()).toBe(`Imported ${name}: no new commits, already up to date`);
  });

  it("fails with exit code 1 and says why when the folder is not a git repository", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "specledger-not-a-repo-"));
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));

    const result = await specledger(["import", dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("not a git repository");
    expect(result.stdout).toBe("");
  });

  it("exits with code 2 on a usage error", async () => {
    const result = await specledger(["import"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("missing required argument");
  });

  it("exits with code 3 when the database cannot be reached", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "specledger-unreachable-"));
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    // Port 1 is reserved and never runs PostgreSQL, so the connection is refused at once.
    const result = await specledger(["import", dir], { env: { DATABASE_URL: "postgresql://postgres:x@127.0.0.1:1/specledger" } });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("Cannot connect to the database");
    expect(result.stderr).not.toContain(":x@");
  });
});

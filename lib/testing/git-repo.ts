import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** A throwaway git repository for tests, with a small API to write files and commit. */
export class TestRepo {
  private tick = 0;
  private constructor(readonly path: string) {}

  static create(prefix = "specledger-test-"): TestRepo {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    const repo = new TestRepo(dir);
    repo.git("init", "-q", "-b", "main");
    return repo;
  }

  git(...args: string[]): string {
    const when = `2026-0${1 + (Math.floor(this.tick / 28) % 9)}-${String(1 + (this.tick % 28)).padStart(2, "0")}T12:00:00Z`;
    return execFileSync("git", ["-c", "user.name=Test Author", "-c", "user.email=author@example.com", "-c", "commit.gpgsign=false", ...args], {
      cwd: this.path,
      encoding: "utf8",
      env: { ...process.env, GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when },
    }).trim();
  }

  write(files: Record<string, string | Buffer | null>): this {
    for (const [file, content] of Object.entries(files)) {
      const full = path.join(this.path, file);
      if (content === null) {
        fs.rmSync(full, { force: true });
        continue;
      }
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, content);
    }
    return this;
  }

  symlink(target: string, file: string): this {
    const full = path.join(this.path, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.symlinkSync(target, full);
    return this;
  }

  /** Stages everything and commits; returns the new commit id. */
  commit(message: string, files?: Record<string, string | Buffer | null>): string {
    if (files) this.write(files);
    this.tick++;
    this.git("add", "-A");
    this.git("commit", "-q", "--allow-empty", "-m", message);
    return this.git("rev-parse", "HEAD");
  }

  remove() {
    fs.rmSync(this.path, { recursive: true, force: true });
  }
}

export function randomName(prefix = "t"): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}

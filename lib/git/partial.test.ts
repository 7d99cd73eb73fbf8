import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TestRepo } from "@/lib/testing/git-repo";
import { parseMissing, partialViewOf, promisorRemoteOf, readableGitDir } from "./partial";

const cleanup: (() => void)[] = [];
afterAll(() => cleanup.forEach((f) => f()));

describe("parseMissing", () => {
  it("keeps only the names cat-file --batch-check answered missing", () => {
    const a = "a".repeat(40);
    const b = "b".repeat(40);
    expect(parseMissing(`${a}\n${b} missing\n${a} ambiguous\n`)).toEqual([b]);
    expect(parseMissing("")).toEqual([]);
  });
});

describe("readableGitDir", () => {
  it("reads a complete repository in place, even when its remote is called promisor", async () => {
    const repo = TestRepo.create();
    cleanup.push(() => repo.remove());
    repo.commit("one", { "a.md": "a\n" });
    repo.git("remote", "add", "promisor", "https://example.com/x.git");
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "specledger-store-"));
    cleanup.push(() => fs.rmSync(root, { recursive: true, force: true }));
    const gitDir = path.join(repo.path, ".git");
    expect(await promisorRemoteOf(gitDir)).toBeNull();
    expect(await readableGitDir({ root, id: "r1", localGitDir: gitDir })).toBe(gitDir);
    expect(fs.readdirSync(root)).toEqual([]);
    expect(partialViewOf(gitDir)).toBeNull();
  });

  it("gives a partial clone a store with its promisor remote and objects as alternates, and a view without the remote", async () => {
    const repo = TestRepo.create();
    cleanup.push(() => repo.remove());
    repo.commit("one", { "a.md": "a\n" });
    repo.git("config", "remote.origin.url", "https://example.com/x.git");
    repo.git("config", "remote.origin.promisor", "true");
    repo.git("config", "remote.origin.partialclonefilter", "blob:none");
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "specledger-store-"));
    cleanup.push(() => fs.rmSync(root, { recursive: true, force: true }));
    const gitDir = path.join(repo.path, ".git");
    const store = await readableGitDir({ root, id: "r2", localGitDir: gitDir });
    expect(store).toBe(path.join(root, "r2.partial.git"));
    expect(fs.readFileSync(path.join(store, "objects", "info", "alternates"), "utf8")).toBe(`${path.join(fs.realpathSync(gitDir), "objects")}\n`);
    expect(await promisorRemoteOf(store)).toEqual({ name: "origin", url: "https://example.com/x.git", filter: "blob:none" });
    const view = partialViewOf(store);
    expect(view).toBe(path.join(root, "r2.partial-view.git"));
    expect(await promisorRemoteOf(view!)).toBeNull();
    // Asked again, the same store (not a second one).
    expect(await readableGitDir({ root, id: "r2", localGitDir: gitDir })).toBe(store);
    expect(fs.readdirSync(root).sort()).toEqual(["r2.partial-view.git", "r2.partial.git"]);
  });
});

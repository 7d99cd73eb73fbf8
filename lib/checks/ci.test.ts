import { describe, expect, it } from "vitest";
import { ciDefaults, ciPullRequestInfo, clip, parseNameStatus, withoutCredentials } from "./ci";

describe("parseNameStatus", () => {
  it("reads NUL-separated pairs, paths with spaces and newlines included", () => {
    expect(parseNameStatus("M\0specs/a/spec.md\0A\0specs/b c/spec.md\0D\0AGENTS.md\0T\0specs/x\ny.md\0")).toEqual([
      { status: "modified", path: "specs/a/spec.md" },
      { status: "added", path: "specs/b c/spec.md" },
      { status: "deleted", path: "AGENTS.md" },
      { status: "modified", path: "specs/x\ny.md" },
    ]);
    expect(parseNameStatus("")).toEqual([]);
  });

  it("refuses what it cannot judge", () => {
    expect(() => parseNameStatus("U\0a.md\0")).toThrow(/cannot judge/);
    expect(() => parseNameStatus("M\0")).toThrow(/pairs/);
  });
});

describe("ciDefaults", () => {
  it("reads GitHub Actions' variables, with the PR number from GITHUB_REF", () => {
    expect(ciDefaults({ GITHUB_ACTIONS: "true", GITHUB_BASE_REF: "main", GITHUB_SHA: "abc1234", GITHUB_REF: "refs/pull/42/merge" })).toEqual({
      base: "main",
      head: "abc1234",
      pullRequest: 42,
      ci: "github",
    });
    expect(ciDefaults({ GITHUB_ACTIONS: "true", GITHUB_SHA: "abc1234", GITHUB_REF: "refs/heads/main" })).toEqual({
      base: undefined,
      head: "abc1234",
      pullRequest: undefined,
      ci: "github",
    });
  });

  it("reads GitLab's merge request variables", () => {
    expect(ciDefaults({ GITLAB_CI: "true", CI_MERGE_REQUEST_DIFF_BASE_SHA: "b".repeat(40), CI_COMMIT_SHA: "c".repeat(40), CI_MERGE_REQUEST_IID: "7" })).toEqual(
      { base: "b".repeat(40), head: "c".repeat(40), pullRequest: 7, ci: "gitlab" },
    );
  });

  it("has no defaults outside CI, and ignores a PR number that is not one", () => {
    expect(ciDefaults({})).toEqual({ ci: null });
    expect(ciDefaults({ GITLAB_CI: "true", CI_MERGE_REQUEST_IID: "0x10" }).pullRequest).toBeUndefined();
  });
});

describe("withoutCredentials", () => {
  it("drops a CI job token from an HTTPS remote and leaves other spellings alone", () => {
    expect(withoutCredentials("https://gitlab-ci-token:glcbt-secret@gitlab.example.com/group/app.git")).toBe("https://gitlab.example.com/group/app.git");
    expect(withoutCredentials("git@github.com:octo/app.git")).toBe("git@github.com:octo/app.git");
    expect(withoutCredentials("/srv/git/app")).toBe("/srv/git/app");
  });
});

describe("ciPullRequestInfo", () => {
  it("reads GitHub's event payload and head branch, and GitLab's variables; nothing elsewhere", () => {
    const files: Record<string, string> = { "/event.json": JSON.stringify({ pull_request: { title: "PAY-3: refunds" } }), "/push.json": "{}" };
    const read = (p: string) => {
      if (!(p in files)) throw new Error("ENOENT");
      return files[p];
    };
    expect(ciPullRequestInfo({ GITHUB_ACTIONS: "true", GITHUB_EVENT_PATH: "/event.json", GITHUB_HEAD_REF: "pay-3" }, read)).toEqual({
      title: "PAY-3: refunds",
      branch: "pay-3",
    });
    expect(ciPullRequestInfo({ GITHUB_ACTIONS: "true", GITHUB_EVENT_PATH: "/push.json" }, read)).toEqual({ title: undefined, branch: undefined });
    expect(ciPullRequestInfo({ GITHUB_ACTIONS: "true", GITHUB_EVENT_PATH: "/missing.json" }, read).title).toBeUndefined();
    expect(ciPullRequestInfo({ GITLAB_CI: "true", CI_MERGE_REQUEST_TITLE: "OPS-1", CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: "b" }, read)).toEqual({
      title: "OPS-1",
      branch: "b",
    });
    expect(ciPullRequestInfo({}, read)).toEqual({});
  });

  it("clips text to what the server stores: no NUL, no half of a surrogate pair", () => {
    expect(clip("a\u0000b", 10)).toBe("ab");
    expect(clip("x😀", 2)).toBe("x\ufffd");
  });
});

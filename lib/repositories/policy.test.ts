import { describe, expect, it } from "vitest";
import { SHORT_CAUSE, errorForRole, isUnderRoots, localRootsFromEnv } from "./policy";

describe("local roots", () => {
  it("reads colon-separated roots and is null when unset", () => {
    expect(localRootsFromEnv({ SPECLEDGER_LOCAL_ROOTS: "/srv/git:/opt/repos/" })).toEqual(["/srv/git", "/opt/repos"]);
    expect(localRootsFromEnv({})).toBeNull();
    expect(localRootsFromEnv({ SPECLEDGER_LOCAL_ROOTS: "::" })).toBeNull();
  });

  it.each([
    ["/srv/git", true],
    ["/srv/git/a/b", true],
    ["/srv/gitx/evil", false],
    ["/srv", false],
    ["/etc", false],
  ])("%s under /srv/git: %s", (p, expected) => {
    expect(isUnderRoots(p, ["/srv/git"])).toBe(expected);
  });

  it("accepts everything under the root /", () => {
    expect(isUnderRoots("/home/me/repo", ["/"])).toBe(true);
  });
});

describe("errors shown per role", () => {
  it("shows admins everything and others no server detail", () => {
    const raw = "No such directory: /srv/git/secret-project (a local repository is read where it lies)";
    expect(errorForRole(raw, "admin")).toBe(raw);
    for (const role of ["maintainer", "reviewer", "viewer"] as const) expect(errorForRole(raw, role)).toBe(SHORT_CAUSE);
    expect(errorForRole("Could not clone git.example.com: fatal: repository not found", "maintainer")).toBe(SHORT_CAUSE);
    expect(errorForRole("The branch main has no commits yet.", "viewer")).toBe("The branch main has no commits yet.");
    expect(errorForRole(null, "viewer")).toBeNull();
  });
});

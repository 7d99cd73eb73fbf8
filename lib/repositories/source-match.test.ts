import { describe, expect, it } from "vitest";
import { sameSource, sourceKey } from "./source-match";

describe("sourceKey", () => {
  it.each([
    ["https://github.com/Octo/Hello-World.git", "github.com/octo/hello-world"],
    ["https://x-access-token:abc@github.com/octo/hello-world", "github.com/octo/hello-world"],
    ["git@github.com:octo/hello-world.git", "github.com/octo/hello-world"],
    ["ssh://git@github.com:22/octo/hello-world.git", "github.com/octo/hello-world"],
    ["git://github.com/octo/hello-world.git", "github.com/octo/hello-world"],
    ["/srv/repos/a/", "/srv/repos/a"],
    ["file:///srv/repos/a", "/srv/repos/a"],
  ])("%s → %s", (source, key) => {
    expect(sourceKey(source)).toBe(key);
  });

  it("has no key for what is not a repository location", () => {
    expect(sourceKey("")).toBeNull();
    expect(sourceKey("relative/dir")).toBeNull();
    expect(sourceKey("https://")).toBeNull();
  });
});

describe("sameSource", () => {
  it("matches spellings of one repository and not of another", () => {
    expect(sameSource("git@github.com:octo/hello-world.git", "https://github.com/octo/hello-world")).toBe(true);
    expect(sameSource("https://github.com/octo/hello-world", "https://github.com/octo/hello-world-2")).toBe(false);
    expect(sameSource("https://github.com/octo/a", "https://gitlab.com/octo/a")).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { TestRepo } from "@/lib/testing/git-repo";
import { git, gitEnv } from "./git";
import { classifySource, parseSource, redactText, repositoryNameFromSource } from "./source";

describe("classifySource", () => {
  it.each([
    ["https://github.com/acme/pay.git", "url"],
    ["ssh://git@github.com/acme/pay.git", "url"],
    ["git@github.com:acme/pay.git", "url"],
    ["git://git.example.com/pay.git", "url"],
    ["/srv/git/pay", "path"],
  ])("%s is a %s", (source, kind) => {
    expect(classifySource(source)).toBe(kind);
  });

  it.each([
    ["file:///srv/git/pay", /file:\/\/ URLs are not accepted/],
    ["http://git.example.com/pay.git", /http:\/\/ URLs are not accepted/],
    ["ext::sh -c 'touch /tmp/pwned'", /transports like ext:: are not accepted/],
    ["fd::3", /transports like fd:: are not accepted/],
    ["relative/path", /must be absolute/],
    ["git@-oProxyCommand=x:y", /must be absolute/],
    ["", /Give a local path/],
  ])("refuses %s before git runs", (source, message) => {
    expect(() => classifySource(source)).toThrow(message);
  });
});

describe("parseSource", () => {
  it("gives aliases of one local path one key", () => {
    const keys = ["/srv/git/pay", "/srv/git/pay/", "/srv//git/pay", "/srv/./git/pay", "/srv/git/x/../pay"].map((s) => parseSource(s).key);
    expect(new Set(keys)).toEqual(new Set(["/srv/git/pay"]));
  });

  it("gives aliases of one URL one key: host case, trailing .git and slash", () => {
    const keys = ["https://GitHub.com/acme/pay.git", "https://github.com/acme/pay", "https://github.com/acme/pay/", "https://github.com:443/acme/pay.git/"].map(
      (s) => parseSource(s).key,
    );
    expect(new Set(keys)).toEqual(new Set(["https://github.com/acme/pay"]));
    expect(parseSource("https://github.com/acme/other").key).not.toBe(keys[0]);
    expect(parseSource("git@GitHub.com:acme/pay.git").key).toBe("ssh://git@github.com/acme/pay");
  });

  it("splits a token or password off an https URL and keeps it out of what is stored", () => {
    expect(parseSource("https://ghp_abc123@github.com/acme/pay.git")).toEqual({
      kind: "url",
      source: "https://github.com/acme/pay.git",
      key: "https://github.com/acme/pay",
      credential: { username: "ghp_abc123", password: "" },
    });
    const withPassword = parseSource("https://bob:p%40ss@git.example.com/x.git");
    expect(withPassword.credential).toEqual({ username: "bob", password: "p@ss" });
    expect(withPassword.source).toBe("https://git.example.com/x.git");
    expect(parseSource("https://github.com/acme/pay").credential).toBeNull();
  });

  it("keeps an ssh user name (not a secret) and refuses passwords outside https", () => {
    expect(parseSource("ssh://git@example.com/x.git").credential).toBeNull();
    expect(() => parseSource("ssh://git:pw@example.com/x.git")).toThrow(/not accepted/);
    expect(() => parseSource("git://user:pw@example.com/x.git")).toThrow(/not accepted/);
  });
});

describe("redaction and names", () => {
  it("redacts credentials inside any text", () => {
    expect(redactText("fatal: unable to access 'https://bob:tok@host/x.git/': 403")).toBe("fatal: unable to access 'https://host/x.git/': 403");
  });

  it("names a repository after its folder or URL", () => {
    expect(repositoryNameFromSource("https://github.com/acme/pay.git")).toBe("pay");
    expect(repositoryNameFromSource("/srv/git/orders/")).toBe("orders");
  });
});

describe("gitEnv", () => {
  it("allows only https, ssh and git transports and never prompts", () => {
    const env = gitEnv();
    expect(env.GIT_ALLOW_PROTOCOL).toBe("git:https:ssh");
    expect(env.GIT_TERMINAL_PROMPT).toBe("0");
    // Only Specledger's own settings: no credential helper, no automatic gc or maintenance.
    expect(env.GIT_CONFIG_COUNT).toBe("3");
    expect([env.GIT_CONFIG_KEY_0, env.GIT_CONFIG_VALUE_0, env.GIT_CONFIG_KEY_1, env.GIT_CONFIG_VALUE_1, env.GIT_CONFIG_KEY_2, env.GIT_CONFIG_VALUE_2]).toEqual([
      "credential.helper",
      "",
      "gc.auto",
      "0",
      "maintenance.auto",
      "false",
    ]);
  });

  it("turns off automatic gc and maintenance for every git it runs, whatever the repository's own config says", async () => {
    const repo = TestRepo.create();
    try {
      repo.commit("one", { "a.txt": "a\n" });
      repo.git("config", "gc.auto", "5");
      repo.git("config", "maintenance.auto", "true");
      expect(await git(["config", "--get", "gc.auto"], { cwd: repo.path })).toBe("0");
      expect(await git(["config", "--get", "maintenance.auto"], { cwd: repo.path })).toBe("false");
      const withCredential = gitEnv({ origin: "https://git.example.com/", username: "bob", password: "tok" });
      expect(withCredential.GIT_CONFIG_COUNT).toBe("4");
      expect(withCredential.GIT_CONFIG_KEY_2).toBe("gc.auto");
    } finally {
      repo.remove();
    }
  });

  it("gives a credential as a header scoped to its origin, in the environment only", () => {
    const env = gitEnv({ origin: "https://git.example.com/", username: "bob", password: "tok" });
    expect(env.GIT_CONFIG_KEY_1).toBe("http.https://git.example.com/.extraHeader");
    expect(env.GIT_CONFIG_VALUE_1).toBe(`Authorization: Basic ${Buffer.from("bob:tok").toString("base64")}`);
    expect(env.GIT_CONFIG_KEY_0).toBe("credential.helper");
  });
});

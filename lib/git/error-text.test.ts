import { describe, expect, it } from "vitest";
import { MAX_CAUSE_LENGTH, oneLineCause, publicCause, redactLocalPaths } from "./error-text";

describe("oneLineCause", () => {
  it("keeps a one-line message as it is", () => {
    expect(oneLineCause("findings store unavailable")).toBe("findings store unavailable");
  });

  it("keeps the first line and git's fatal line out of pages of repeated output, and counts the rest", () => {
    const repeated = Array.from({ length: 400 }, () => "fatal: unable to connect to 127.0.0.1:\n127.0.0.1[0: 127.0.0.1]: errno=Connection refused").join("\n");
    const text = `git log exited with 128: warning: could not fetch abc from promisor remote\n${repeated}\nerror: could not fetch 123 from promisor remote`;
    const cause = oneLineCause(text);
    expect(cause).toBe(
      "git log exited with 128: warning: could not fetch abc from promisor remote … fatal: unable to connect to 127.0.0.1: (800 more lines of output)",
    );
    expect(cause).not.toContain("\n");
  });

  it("does not repeat a fatal line the first line already holds", () => {
    expect(oneLineCause("git log exited with 128: fatal: bad revision 'x'\nfatal: bad revision 'x'")).toBe(
      "git log exited with 128: fatal: bad revision 'x' (1 more line of output)",
    );
  });

  it("caps a long line, and names an empty text", () => {
    const cause = oneLineCause("x".repeat(5000));
    expect(cause).toHaveLength(MAX_CAUSE_LENGTH);
    expect(cause.endsWith("…")).toBe(true);
    expect(oneLineCause(" \n\n")).toBe("unknown cause");
  });
});

describe("publicCause", () => {
  it("hides the server's paths but keeps URLs, in one line", () => {
    expect(redactLocalPaths("fatal: '/srv/git/cmx1.git' does not appear to be a git repository")).toBe(
      "fatal: '<path>' does not appear to be a git repository",
    );
    expect(redactLocalPaths("Warning: Identity file /tmp/specledger-ssh-ab12/key not accessible")).toBe("Warning: Identity file <path> not accessible");
    expect(redactLocalPaths("fatal: unable to access 'https://git.example.com/team/repo.git/': Could not resolve host")).toBe(
      "fatal: unable to access 'https://git.example.com/team/repo.git/': Could not resolve host",
    );
    expect(redactLocalPaths("No such directory: /home/ci/work (see git://127.0.0.1:9418/x)")).toBe("No such directory: <path> (see git://127.0.0.1:9418/x)");
    const many = ["git fetch failed", "fatal: could not read from /var/lib/specledger/x.git", ...Array(50).fill("remote: noise /data/y")].join("\n");
    const cause = publicCause(many);
    expect(cause).not.toMatch(/\n|\/var|\/data/);
    expect(cause).toBe("git fetch failed … fatal: could not read from <path> (50 more lines of output)");
  });
});

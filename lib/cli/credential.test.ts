import { describe, expect, it } from "vitest";
import { credentialFromOptions } from "./credential";
import { CliExit, EXIT } from "./exit";

describe("credentialFromOptions", () => {
  const files: Record<string, string> = { "/k": "PRIVATE", "/h": "host ssh-ed25519 AAAA" };
  const read = (file: string) => {
    if (!(file in files)) throw Object.assign(new Error("nope"), { code: "ENOENT" });
    return files[file];
  };

  it("reads a token from the named variable and a key and host keys from files", () => {
    expect(credentialFromOptions({}, {}, read)).toBeUndefined();
    expect(credentialFromOptions({ tokenEnv: "GIT_TOKEN" }, { GIT_TOKEN: "s3cret" }, read)).toEqual({ kind: "https", token: "s3cret" });
    expect(credentialFromOptions({ tokenEnv: "GIT_TOKEN", username: "bot" }, { GIT_TOKEN: "s3cret" }, read)).toEqual({
      kind: "https",
      token: "s3cret",
      username: "bot",
    });
    expect(credentialFromOptions({ sshKey: "/k", knownHosts: "/h" }, {}, read)).toEqual({
      kind: "ssh",
      privateKey: "PRIVATE",
      knownHosts: "host ssh-ed25519 AAAA",
    });
  });

  it("refuses misuse as a usage error that quotes no secret", () => {
    const cases = [
      { tokenEnv: "UNSET" },
      { tokenEnv: "GIT_TOKEN", sshKey: "/k", knownHosts: "/h" },
      { sshKey: "/k" },
      { knownHosts: "/h" },
      { username: "bot" },
      { sshKey: "/missing", knownHosts: "/h" },
    ];
    for (const opts of cases) {
      let error: unknown;
      try {
        credentialFromOptions(opts, { GIT_TOKEN: "s3cret", EMPTY: "" }, read);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CliExit);
      expect((error as CliExit).exitCode).toBe(EXIT.usage);
      expect((error as CliExit).message).not.toMatch(/s3cret|PRIVATE/);
    }
  });
});

import { afterAll, describe, expect, it, vi } from "vitest";
import { TestRepo } from "@/lib/testing/git-repo";
import { sshSigner } from "@/lib/testing/signing";
import { parseCommitIdentities, readCommitIdentities, signerEmailOf } from "./log";

describe("signerEmailOf", () => {
  it.each<[string, string | null]>([
    ["Carol Example <Carol@Example.com>", "carol@example.com"],
    ["carol@example.com", "carol@example.com"],
    ["Carol Example", null],
    ["", null],
  ])("%s", (signer, email) => expect(signerEmailOf(signer)).toBe(email));
});

describe("parseCommitIdentities", () => {
  it("keeps the signer's email only for a good signature", () => {
    const output = `${"a".repeat(40)}\x1fBob@X.test\x1fG\x1fKEY1\x1fCarol <carol@x.test>\x1e\n${"b".repeat(40)}\x1fbob@x.test\x1fU\x1fKEY2\x1fMallory <admin@x.test>\x1e\n${"c".repeat(40)}\x1fbob@x.test\x1fN\x1f\x1f\x1e\n`;
    expect(parseCommitIdentities(output)).toEqual([
      { sha: "a".repeat(40), committerEmail: "bob@x.test", signature: "G", signerKey: "KEY1", signerEmail: "carol@x.test" },
      { sha: "b".repeat(40), committerEmail: "bob@x.test", signature: "U", signerKey: "KEY2", signerEmail: null },
      { sha: "c".repeat(40), committerEmail: "bob@x.test", signature: "N", signerKey: null, signerEmail: null },
    ]);
  });
});

describe("readCommitIdentities", () => {
  const cleanups: (() => void)[] = [];
  afterAll(() => cleanups.forEach((c) => c()));

  it("reads the committer apart from the author, and an SSH signature trusted only through SPECLEDGER_ALLOWED_SIGNERS", async () => {
    const repo = TestRepo.create();
    const signer = sshSigner("carol@sign.test");
    cleanups.push(() => repo.remove(), signer.remove);
    repo.git("-c", "user.email=bob@sign.test", "commit", "-q", "--allow-empty", "--author=Alice <alice@sign.test>", "-m", "unsigned");
    const unsigned = repo.git("rev-parse", "HEAD");
    const signed = signer.commit(repo, "signed", { "a.md": "# A\n" }, { author: "alice@sign.test", committer: "carol@sign.test" });
    // The repository's own config cannot make a key trusted.
    repo.git("config", "gpg.ssh.allowedSignersFile", signer.allowedSigners);
    const gitDir = `${repo.path}/.git`;

    const untrusted = await readCommitIdentities({ gitDir, shas: [unsigned, signed, "not-a-sha"] });
    expect(untrusted.get(unsigned)).toMatchObject({ committerEmail: "bob@sign.test", signature: "N", signerEmail: null });
    expect(untrusted.get(signed)?.signature).not.toBe("G");
    expect(untrusted.get(signed)?.signerEmail).toBeNull();
    expect(untrusted.size).toBe(2);

    vi.stubEnv("SPECLEDGER_ALLOWED_SIGNERS", signer.allowedSigners);
    try {
      const trusted = await readCommitIdentities({ gitDir, shas: [signed] });
      expect(trusted.get(signed)).toMatchObject({ committerEmail: "carol@sign.test", signature: "G", signerEmail: "carol@sign.test" });
      expect(trusted.get(signed)?.signerKey).toMatch(/^SHA256:/);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

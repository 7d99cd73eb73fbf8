import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestRepo } from "./git-repo";

/** A throwaway SSH signing key, and an allowed-signers file that trusts it for `email`. */
export function sshSigner(email: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "specledger-signer-"));
  const key = path.join(dir, "key");
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", email, "-f", key]);
  const allowedSigners = path.join(dir, "allowed_signers");
  fs.writeFileSync(allowedSigners, `${email} namespaces="git" ${fs.readFileSync(`${key}.pub`, "utf8").trim()}\n`);
  return {
    allowedSigners,
    /** Commits everything staged and unstaged in `repo`, signed with this key; returns the commit id. */
    commit(repo: TestRepo, message: string, files: Record<string, string>, identity: { author: string; committer: string }) {
      repo.write(files);
      repo.git("add", "-A");
      repo.git(
        "-c",
        `user.email=${identity.committer}`,
        "-c",
        "user.name=Committer",
        "-c",
        "gpg.format=ssh",
        "-c",
        `user.signingkey=${key}`,
        "commit",
        "-q",
        "-S",
        `--author=Author <${identity.author}>`,
        "-m",
        message,
      );
      return repo.git("rev-parse", "HEAD");
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

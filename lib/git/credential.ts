import { decryptSecret, encryptSecret } from "@/lib/crypto/secrets";
import type { SshCredential } from "./ssh";

/** What Repository.credential holds once decrypted: an https token, or an SSH deploy key with host keys. */
export type StoredCredential = { kind: "https"; username: string; password: string } | SshCredential;

/** The credential encrypted for Repository.credential; throws when the server has no SPECLEDGER_SECRET_KEY. */
export function sealCredential(credential: StoredCredential): string {
  return encryptSecret(JSON.stringify(credential));
}

/** Reads what sealCredential wrote; rows from before SSH keys (no kind) are https tokens. */
export function openCredential(stored: string): StoredCredential {
  const plain = decryptSecret(stored);
  let value: Partial<StoredCredential> & Record<string, unknown>;
  try {
    value = JSON.parse(plain);
  } catch {
    // JSON.parse's message quotes the text it read, which is the secret.
    throw new Error("The stored credential is not in a form this version reads.");
  }
  if (!value || typeof value !== "object") throw new Error("The stored credential is not in a form this version reads.");
  if (value.kind === "ssh") return { kind: "ssh", privateKey: String(value.privateKey), knownHosts: String(value.knownHosts) };
  return { kind: "https", username: String(value.username ?? ""), password: String(value.password ?? "") };
}

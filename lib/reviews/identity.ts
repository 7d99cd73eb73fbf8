import type { Prisma } from "@/lib/db";

/** What was recorded about a commit's identity at import (VersionIdentity), if anything. */
export type RecordedIdentity = { signature: string; signerEmail: string | null; signerKey: string | null; committerEmail?: string };

/**
 * The user an imported version is attributed to (Change.authorId): the owner of the key
 * that signed the commit when the signature is good and its email is a user's, else the
 * user whose confirmed email the commit claims as author, else nobody (decision 014).
 */
export function attributeCommit(opts: { authorEmail: string; identity: RecordedIdentity | null; userByEmail: Map<string, string> }): string | null {
  const signer = opts.identity?.signature === "G" && opts.identity.signerEmail ? opts.userByEmail.get(opts.identity.signerEmail.toLowerCase()) : undefined;
  return signer ?? opts.userByEmail.get(opts.authorEmail.toLowerCase()) ?? null;
}

/**
 * Whether a version's author is verified, and a sentence saying why, for the "unverified
 * author" badge: only a good signature by a key the server trusts verifies anyone; an
 * email in a commit is a claim anyone can write.
 */
export function authorVerification(identity: RecordedIdentity | null): { verified: boolean; title: string } {
  if (identity?.signature === "G") {
    return { verified: true, title: `Signed by ${identity.signerEmail ?? "a trusted key"}${identity.signerKey ? ` (key ${identity.signerKey})` : ""}.` };
  }
  const why: Record<string, string> = {
    N: "The commit is not signed",
    U: "The commit is signed by a key the server does not trust",
    B: "The commit's signature is bad",
    X: "The commit's signature has expired",
    Y: "The commit is signed by an expired key",
    R: "The commit is signed by a revoked key",
    E: "The commit's signature could not be checked",
  };
  const reason = identity
    ? (why[identity.signature] ?? "The commit's signature could not be checked")
    : "The commit's signature was not checked (only the newest version of a spec is)";
  return { verified: false, title: `${reason}: its author email is a claim anyone can write in git.` };
}

/**
 * Everyone an imported version's commit names, by a confirmed email (their account's, or
 * one an admin confirmed): the claimed author, the committer and a good signature's
 * signer. None of them may approve it. Read at decision time, so an email confirmed later
 * counts too; a spoofed email can then only keep its real owner from approving, never let
 * the spoofer in (decision 014).
 */
export async function commitIdentityUserIds(tx: Prisma.TransactionClient, versionId: string | null): Promise<string[]> {
  if (!versionId) return [];
  const rows = await tx.$queryRaw<{ id: string }[]>`
    WITH claimed AS (
      SELECT lower(v."authorEmail") AS email FROM "SpecVersion" v WHERE v.id = ${versionId}
      UNION SELECT lower(i."committerEmail") FROM "VersionIdentity" i WHERE i."versionId" = ${versionId}
      UNION SELECT lower(i."signerEmail") FROM "VersionIdentity" i WHERE i."versionId" = ${versionId} AND i.signature = 'G' AND i."signerEmail" IS NOT NULL
    )
    SELECT u.id FROM "User" u JOIN claimed c ON lower(u.email) = c.email
    UNION
    SELECT e."userId" AS id FROM "UserEmail" e JOIN claimed c ON e.email = c.email WHERE e."confirmedAt" IS NOT NULL`;
  return rows.map((r) => r.id);
}

import { db } from "@/lib/db";

/**
 * Failed sign-ins are counted in PostgreSQL, so every app process shares the count: per
 * account (ten in a quarter of an hour lock the email, even against the right password) and
 * per client address (decision 013).
 */
export const SIGN_IN_WINDOW_MS = 15 * 60_000;
export const ACCOUNT_LIMIT = 10;
export const ADDRESS_LIMIT = 100;
// Without a trusted proxy every client shares one key; a larger budget keeps one guesser
// from locking everybody out while still capping guesses across accounts.
export const UNKNOWN_ADDRESS_LIMIT = 1000;
const UNKNOWN_ADDRESS = "address:unknown";

type Headers = Record<string, string | string[] | undefined> | undefined;

/**
 * The key a request's client address is counted under: x-forwarded-for's first entry when
 * the app sits behind a proxy it trusts (SPECLEDGER_TRUST_PROXY=1; otherwise the header is
 * the client's own claim), else the connection's address when known, else one shared key.
 */
export function clientAddressKey(opts: { headers: Headers; trustProxy: boolean; connectionAddress?: string | null }): string {
  const forwarded = opts.headers?.["x-forwarded-for"];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
  const address = opts.trustProxy && first ? first : opts.connectionAddress?.trim();
  if (!address || address.length > 100 || !/^[0-9A-Za-z.:%_-]+$/.test(address)) return UNKNOWN_ADDRESS;
  return `address:${address.toLowerCase()}`;
}

export const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;

function limitOf(key: string): number {
  if (key.startsWith("account:")) return ACCOUNT_LIMIT;
  return key === UNKNOWN_ADDRESS ? UNKNOWN_ADDRESS_LIMIT : ADDRESS_LIMIT;
}

/** Milliseconds until a key with this window may try again (0: now). */
export function retryAfterMs(window: { windowStart: Date; failures: number }, limit: number, now: Date): number {
  const ends = window.windowStart.getTime() + SIGN_IN_WINDOW_MS;
  if (ends <= now.getTime() || window.failures < limit) return 0;
  return ends - now.getTime();
}

/** How long the longest-locked of `keys` must wait before signing in again (0: not locked). */
export async function signInWait(keys: string[], now = new Date()): Promise<number> {
  const rows = await db.signInFailure.findMany({ where: { key: { in: keys } } });
  return Math.max(0, ...rows.map((row) => retryAfterMs(row, limitOf(row.key), now)));
}

/**
 * Counts one failure for each key in one statement: the upsert is atomic, so concurrent
 * failures from any number of processes all count. A window that has ended starts over.
 * Windows that ended are deleted on the way.
 */
export async function recordSignInFailure(keys: string[], now = new Date()): Promise<void> {
  const ended = new Date(now.getTime() - SIGN_IN_WINDOW_MS);
  await db.$transaction([
    db.$executeRaw`
      INSERT INTO "SignInFailure" (key, "windowStart", failures)
      SELECT k, ${now}, 1 FROM unnest(${keys}::text[]) AS k
      ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN "SignInFailure"."windowStart" <= ${ended} THEN 1 ELSE "SignInFailure".failures + 1 END,
        "windowStart" = CASE WHEN "SignInFailure"."windowStart" <= ${ended} THEN ${now} ELSE "SignInFailure"."windowStart" END`,
    db.signInFailure.deleteMany({ where: { windowStart: { lte: ended } } }),
  ]);
}

/** A successful sign-in clears its account's count (not its address's: one good password must not reset a guesser). */
export async function clearSignInFailures(email: string): Promise<void> {
  await db.signInFailure.deleteMany({ where: { key: accountKey(email) } });
}

import { z } from "zod";
import type { RunResult } from "@/lib/audit";
import { assertCan, TOKEN_SCOPES, type TokenScope, type Viewer } from "@/lib/auth/permissions";
import { RequestLimiter } from "@/lib/auth/rate-limit";
import { db, type Prisma, type Role } from "@/lib/db";
import { pgPool } from "@/lib/db/pg";
import { AppError } from "@/lib/errors";
import { text } from "@/lib/schema";
import { generateToken, tokenDigest, tokenDisplayPrefix, tokenFormatError } from "./format";

export const MAX_TOKEN_DAYS = 365;

export const createTokenSchema = z
  .object({
    name: text().trim().min(1, "Name the token after where it is used.").max(100, "A token name is at most 100 characters."),
    scopes: z.array(z.enum(TOKEN_SCOPES)).min(1, "Choose at least one scope.").max(TOKEN_SCOPES.length),
    expiresInDays: z.coerce.number().int().min(1, "A token lives at least a day.").max(MAX_TOKEN_DAYS, `A token lives at most ${MAX_TOKEN_DAYS} days.`),
  })
  .strict();

export const createdToken = z.object({
  token: z.string(),
  record: z.object({ id: z.string(), name: z.string(), prefix: z.string(), scopes: z.array(z.string()), expiresAt: z.date(), createdAt: z.date() }),
});

/** Creates a token for the viewer. The plaintext is returned once and never stored. */
export async function createToken(
  tx: Prisma.TransactionClient,
  viewer: Viewer,
  input: z.output<typeof createTokenSchema>,
): Promise<RunResult<z.infer<typeof createdToken>>> {
  const token = generateToken();
  const scopes = [...new Set(input.scopes)].sort();
  const expiresAt = new Date(Date.now() + input.expiresInDays * 86_400_000);
  const record = await tx.apiToken.create({
    data: { userId: viewer.id, name: input.name, prefix: tokenDisplayPrefix(token), digest: tokenDigest(token), scopes, expiresAt },
    select: { id: true, name: true, prefix: true, scopes: true, expiresAt: true, createdAt: true },
  });
  return {
    result: { token, record },
    audit: {
      action: "token.created",
      subject: `token:${record.id}`,
      payload: { name: record.name, prefix: record.prefix, scopes, expiresAt: expiresAt.toISOString() },
    },
  };
}

export async function listTokens(viewer: Viewer) {
  assertCan(viewer, "tokens:manage");
  return db.apiToken.findMany({
    where: { userId: viewer.id },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, prefix: true, scopes: true, expiresAt: true, lastUsedAt: true, revokedAt: true, createdAt: true },
  });
}

// Any string: an id that cannot be a token (the database makes cuids) names no token, so it is "not found".
export const revokeTokenInput = z.object({ tokenId: z.string().max(1000) }).strict();
const TOKEN_ID = /^[A-Za-z0-9_-]{1,64}$/;
export const revokedToken = z.object({ id: z.string(), revokedAt: z.date() });

/**
 * Revokes one of the viewer's tokens (admins: anyone's); someone else's token is "not found".
 * Revoking twice is a no-op.
 */
export async function revokeToken(
  tx: Prisma.TransactionClient,
  viewer: Viewer,
  input: z.output<typeof revokeTokenInput>,
): Promise<RunResult<z.infer<typeof revokedToken>>> {
  const token = TOKEN_ID.test(input.tokenId)
    ? await tx.apiToken.findFirst({ where: { id: input.tokenId, ...(viewer.role === "admin" ? {} : { userId: viewer.id }) } })
    : null;
  if (!token) throw new AppError("not_found", "Token not found");
  if (token.revokedAt) return { result: { id: token.id, revokedAt: token.revokedAt } };
  const revoked = await tx.apiToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
  return {
    result: { id: revoked.id, revokedAt: revoked.revokedAt! },
    audit: { action: "token.revoked", subject: `token:${token.id}`, payload: { prefix: token.prefix, owner: token.userId } },
  };
}

const LAST_USED_PRECISION_MS = 60_000;

/**
 * Recently authenticated tokens, by digest, for a few seconds: most API traffic is bursts
 * from one CI job. Revoking clears the entry in this process at once; other server
 * processes notice within CACHE_MS. Expiry is checked on every request.
 */
const CACHE_MS = Number(process.env.SPECLEDGER_TOKEN_CACHE_MS ?? 5000);
type CachedToken = {
  id: string;
  scopes: string[];
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  userId: string;
  email: string;
  name: string;
  role: Role;
};
// On globalThis: Next.js bundles route handlers and server actions apart, and a revocation
// made by an action must reach the handlers' memory in the same process.
const shared = globalThis as unknown as { specledgerTokenCache?: Map<string, { token: CachedToken; until: number }>; specledgerTokenLimiter?: RequestLimiter };
const cache = (shared.specledgerTokenCache ??= new Map());

function remember(digest: string, token: CachedToken, now: number) {
  if (CACHE_MS <= 0) return;
  if (cache.size >= 10_000) cache.delete(cache.keys().next().value!);
  cache.set(digest, { token, until: now + CACHE_MS });
}

/** Forgets cached tokens (all, or one by id): called when a token is revoked. */
export function forgetTokens(tokenId?: string) {
  if (!tokenId) return cache.clear();
  for (const [digest, entry] of cache) if (entry.token.id === tokenId) cache.delete(digest);
}
const limiter = (shared.specledgerTokenLimiter ??= new RequestLimiter(Number(process.env.SPECLEDGER_TOKEN_RATE_LIMIT ?? 1200), 60_000));

/** The token and its owner's current role, in one pg round trip (a named, prepared statement). */
async function lookup(digest: string, now: Date): Promise<CachedToken | null> {
  const { rows } = await pgPool().query<CachedToken>({
    name: "authenticate-token",
    text: `SELECT t.id, t.scopes, t."expiresAt", t."revokedAt", t."lastUsedAt", u.id AS "userId", u.email, u.name, u.role::text AS role
           FROM "ApiToken" t JOIN "User" u ON u.id = t."userId" WHERE t.digest = $1`,
    values: [digest],
  });
  if (rows[0]) remember(digest, rows[0], now.getTime());
  return rows[0] ?? null;
}

export type TokenUser = { id: string; email: string; name: string; role: Role; scopes: TokenScope[]; tokenId: string };

/**
 * The user behind a bearer token, with the token's scopes: 401 for a malformed, unknown,
 * revoked or expired token (malformed ones never reach the database), 429 past the
 * per-token rate limit.
 */
export async function authenticateToken(raw: string, now = new Date()): Promise<TokenUser> {
  const formatError = tokenFormatError(raw);
  if (formatError) throw new AppError("unauthenticated", formatError);
  const digest = tokenDigest(raw);
  const cached = cache.get(digest);
  const token = cached && cached.until > now.getTime() ? cached.token : await lookup(digest, now);
  if (!token) throw new AppError("unauthenticated", "Unknown token.");
  if (token.revokedAt) throw new AppError("unauthenticated", "This token was revoked.");
  if (token.expiresAt <= now) throw new AppError("unauthenticated", "This token has expired.");
  const wait = limiter.take(token.id, now.getTime());
  if (wait > 0) throw new AppError("rate_limited", "Too many requests with this token; slow down.", { retryAfterSeconds: Math.ceil(wait / 1000) });
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > LAST_USED_PRECISION_MS) {
    await pgPool().query(`UPDATE "ApiToken" SET "lastUsedAt" = $2 WHERE id = $1`, [token.id, now]);
    token.lastUsedAt = now;
  }
  return { id: token.userId, email: token.email, name: token.name, role: token.role, scopes: token.scopes as TokenScope[], tokenId: token.id };
}

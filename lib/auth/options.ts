import type { NextAuthOptions } from "next-auth";
import CredentialsModule from "next-auth/providers/credentials";
import GitHubModule from "next-auth/providers/github";
import { z } from "zod";
import { text } from "@/lib/schema";
import { appendAuditEvent } from "@/lib/audit";
import { db } from "@/lib/db";
import { verifyPassword } from "./password";
import { newSessionClaims } from "./session-claims";
import { revokeSession, SESSION_MAX_AGE_SECONDS } from "./session";
import { accountKey, clearSignInFailures, clientAddressKey, recordSignInFailure, signInWait } from "./sign-in-limit";

// next-auth 4 ships CommonJS: bundlers hand over the default export, plain Node ESM (the
// benchmarks, scripts) the module object around it.
const interop = <T>(module: T): T => (module as { default?: T }).default ?? module;
const CredentialsProvider = interop(CredentialsModule);
const GitHubProvider = interop(GitHubModule);

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(320),
  password: text().min(1).max(1024),
});

export const githubEnabled = Boolean(process.env.GITHUB_ID && process.env.GITHUB_SECRET);

/** Email domains whose GitHub users may join on their own (SPECLEDGER_GITHUB_DOMAINS). */
function githubJoinDomains(): string[] {
  return (process.env.SPECLEDGER_GITHUB_DOMAINS ?? "")
    .split(",")
    .map((d) => d.trim().toLowerCase())
    .filter(Boolean);
}

/**
 * next-auth configuration: email + password for self-hosted and demo use, and GitHub when
 * GITHUB_ID and GITHUB_SECRET are set. Sessions are JWTs carrying the user id and a session
 * id; on every request the user's role is read from the database and the session checked
 * against the revocation list (lib/auth/session.ts).
 */
export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/signin" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, req) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        // Counted in the database per account and per client address, across all processes.
        const address = clientAddressKey({ headers: req?.headers, trustProxy: process.env.SPECLEDGER_TRUST_PROXY === "1" });
        const keys = [accountKey(parsed.data.email), address];
        if ((await signInWait(keys)) > 0) throw new Error("TooManyAttempts");
        const user = await db.user.findUnique({ where: { email: parsed.data.email } });
        // Compare against a dummy hash when the user is unknown so timing does not tell.
        const hash = user?.passwordHash ?? "$2b$12$Rn3KPWzQdhmbi/OZoJI6YudvDI1NMNpN.acB8wgQd6JQhzmzr7y0i";
        const ok = await verifyPassword(parsed.data.password, hash);
        if (!user || !user.passwordHash || !ok) {
          await recordSignInFailure(keys);
          return null;
        }
        await clearSignInFailures(parsed.data.email);
        return { id: user.id, email: user.email, name: user.name };
      },
    }),
    ...(githubEnabled ? [GitHubProvider({ clientId: process.env.GITHUB_ID!, clientSecret: process.env.GITHUB_SECRET! })] : []),
  ],
  callbacks: {
    async signIn({ user, account, profile }) {
      if (account?.provider !== "github") return true;
      const email = user.email?.toLowerCase();
      if (!email) return "/signin?error=GitHubEmail";
      const githubId = String((profile as { id?: number | string } | undefined)?.id ?? account.providerAccountId);
      const login = (profile as { login?: string } | undefined)?.login;
      // A GitHub account signs in as the user it was linked to before, or as an existing
      // user with its email; a stranger joins (as a viewer) only from an allowed domain.
      const linked = await db.user.findUnique({ where: { githubId } });
      if (linked) {
        user.id = linked.id;
        await claimHandle(linked.id, login);
        return true;
      }
      const existing = await db.user.findUnique({ where: { email } });
      if (existing) {
        if (existing.githubId) return "/signin?error=GitHubAccount";
        await db.user.update({ where: { id: existing.id }, data: { githubId } });
        await claimHandle(existing.id, login);
        user.id = existing.id;
        return true;
      }
      const domain = email.split("@")[1];
      if (!githubJoinDomains().includes(domain)) return "/signin?error=GitHubNotInvited";
      const record = await db.user.create({ data: { email, name: user.name ?? email, githubId, role: "viewer" } });
      await claimHandle(record.id, login);
      user.id = record.id;
      return true;
    },
    async jwt({ token, user }) {
      // At sign-in only: the session id and time stay the same each time the JWT is re-issued.
      if (user) Object.assign(token, { sub: user.id }, newSessionClaims());
      return token;
    },
    async session({ session, token }) {
      if (session.user) (session.user as { id?: string }).id = token.sub;
      return session;
    },
  },
  events: {
    // With JWT sessions next-auth hands over the signed-out token: revoke its session, so
    // a copied cookie stops working too (decision 013).
    async signOut({ token }) {
      await revokeSession({ token: token as Record<string, unknown> | null });
    },
    async signIn({ user, account }) {
      await db.$transaction(async (tx) => {
        const record = await tx.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
        await appendAuditEvent({
          tx,
          actor: { id: record.id, label: record.email },
          action: "user.signed_in",
          subject: `user:${record.id}`,
          payload: { provider: account?.provider ?? "unknown" },
        });
      });
    },
  },
};

/**
 * Gives a user their GitHub login as the handle CODEOWNERS names them by (@login), unless
 * they have one already or someone else holds it.
 */
async function claimHandle(userId: string, login: string | undefined) {
  if (!login || !/^[A-Za-z0-9][\w.-]*$/.test(login)) return;
  try {
    await db.user.updateMany({ where: { id: userId, handle: null }, data: { handle: login.toLowerCase() } });
  } catch {
    // Taken by another user: an admin can sort it out on the Teams page.
  }
}

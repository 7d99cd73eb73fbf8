import { test as base, expect, type Page } from "@playwright/test";
import bcrypt from "bcryptjs";
import { randomUUID } from "node:crypto";
import pg from "pg";

export type Role = "admin" | "maintainer" | "reviewer" | "viewer";
export interface TestUser {
  id: string;
  email: string;
  password: string;
  name: string;
  role: Role;
}

let pool: pg.Pool | null = null;
export function database(): pg.Pool {
  pool ??= new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  return pool;
}

/**
 * The header a browser adds to a same-origin POST from the app's own pages. Playwright's API
 * requests send no Origin, and session-cookie writes without one are refused (CSRF, 403).
 */
export const SAME_ORIGIN = { origin: new URL(process.env.SPECLEDGER_E2E_URL ?? "http://localhost:3100").origin };

/** Creates a user with a random email straight in the database. */
export async function createUser(role: Role): Promise<TestUser> {
  const suffix = randomUUID().slice(0, 8);
  const user = { id: `e2e-${suffix}`, email: `${role}-${suffix}@e2e.test`, password: `pw-${randomUUID()}`, name: `E2E ${role} ${suffix}`, role };
  await database().query(`INSERT INTO "User" ("id", "email", "name", "passwordHash", "role") VALUES ($1, $2, $3, $4, $5)`, [
    user.id,
    user.email,
    user.name,
    await bcrypt.hash(user.password, 4),
    role,
  ]);
  return user;
}

/** Signs in through next-auth's credentials endpoint, sharing cookies with the page. */
export async function signInAs(page: Page, user: TestUser) {
  const { csrfToken } = await (await page.request.get("/api/auth/csrf")).json();
  const response = await page.request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: user.email, password: user.password, json: "true" },
  });
  expect(response.ok()).toBeTruthy();
  const session = await (await page.request.get("/api/auth/session")).json();
  expect(session?.user?.email).toBe(user.email);
}

/** A repository row as an import leaves it, made straight in the database so the demo's stay untouched. */
export async function insertRepository(state: "failed" | "imported") {
  const suffix = randomUUID().slice(0, 8);
  const id = `e2e-repo-${suffix}`;
  const name = `e2e-${state}-${suffix}`;
  await database().query(`INSERT INTO "Repository" (id, name, source, "sourceKey", status, "headCommit") VALUES ($1, $2, $3, $3, $4::"RepositoryStatus", $5)`, [
    id,
    name,
    `/nowhere/${name}`,
    state === "failed" ? "failed" : "ready",
    state === "failed" ? null : "a".repeat(40),
  ]);
  await database().query(`INSERT INTO "Import" (id, "repositoryId", status, phase, error, "updatedAt") VALUES ($1, $2, $3::"ImportStatus", $3, $4, now())`, [
    `e2e-import-${suffix}`,
    id,
    state === "failed" ? "failed" : "succeeded",
    state === "failed" ? "No such directory" : null,
  ]);
  return { id, name };
}

export const test = base.extend<{ signIn: (role: Role) => Promise<TestUser> }>({
  signIn: async ({ page }, use) => {
    await use(async (role) => {
      const user = await createUser(role);
      await signInAs(page, user);
      return user;
    });
  },
});

export { expect };

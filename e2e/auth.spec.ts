import { createUser, expect, SAME_ORIGIN, test } from "./fixtures";

test("signing in through the form lands on the dashboard; a wrong password is refused", async ({ page }) => {
  const user = await createUser("viewer");
  await page.goto("/specs");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fspecs/);

  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("p[role=alert]")).toContainText("do not match");

  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/specs$/);
  await expect(page.getByTestId("current-user")).toContainText(user.name);
});

test("every page and API route requires a session", async ({ page, request }) => {
  for (const path of ["/", "/repositories", "/specs", "/specs/unknown", "/repositories/unknown"]) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(307);
    expect(response.headers()["location"], path).toContain("/signin");
  }
  for (const path of ["/api/v1/specs", "/api/v1/repositories", "/api/v1/specs/x", "/api/v1/imports/x", "/api/v1/specs/x/diff?from=1&to=2"]) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(401);
    expect((await response.json()).error.code).toBe("unauthenticated");
  }
  const post = await request.post("/api/v1/repositories", { headers: SAME_ORIGIN, data: { source: "/tmp" } });
  expect(post.status()).toBe(401);
  await page.goto("/signin");
  await expect(page.getByRole("heading", { name: /Sign in to Specledger/ })).toBeVisible();
});

test("responses carry security headers", async ({ request }) => {
  const response = await request.get("/signin");
  const headers = response.headers();
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  const api = await request.get("/api/health");
  expect(api.headers()["content-security-policy"]).toContain("default-src 'self'");
});

test("ten wrong passwords lock an email for a while, even against the right one", async ({ page }) => {
  const user = await createUser("viewer");
  const attempt = async (password: string) => {
    const { csrfToken } = await (await page.request.get("/api/auth/csrf")).json();
    const response = await page.request.post("/api/auth/callback/credentials", {
      form: { csrfToken, email: user.email, password, json: "true" },
    });
    return (await response.json()).url as string;
  };
  for (let i = 0; i < 10; i++) expect(await attempt("wrong")).toContain("error=CredentialsSignin");
  expect(await attempt(user.password)).toContain("error=TooManyAttempts");
  const session = await (await page.request.get("/api/auth/session")).json();
  expect(session?.user).toBeUndefined();
});

test("signing out ends the session on the server: a copied session cookie stops working", async ({ page, signIn, playwright, baseURL }) => {
  await signIn("viewer");
  const copy = await playwright.request.newContext({ baseURL, storageState: await page.context().storageState() });
  expect((await copy.get("/api/v1/me")).status()).toBe(200);
  const { csrfToken } = await (await page.request.get("/api/auth/csrf")).json();
  await page.request.post("/api/auth/signout", { form: { csrfToken, json: "true" } });
  const after = await copy.get("/api/v1/me");
  expect(after.status()).toBe(401);
  expect((await after.json()).error.code).toBe("unauthenticated");
  await copy.dispose();
});

test("the one-file CLI for CI jobs is served without a session, and nothing else beside it is", async ({ request }) => {
  const response = await request.get("/specledger-cli.mjs", { maxRedirects: 0 });
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toMatch(/javascript/);
  const text = await response.text();
  expect(text.startsWith("#!/usr/bin/env node\n// Specledger CLI ")).toBe(true);
  expect((await request.get("/specledger-cli.mjs.map", { maxRedirects: 0 })).status()).toBe(404);
});

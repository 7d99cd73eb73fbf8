import bcrypt from "bcryptjs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { randomName } from "@/lib/testing/git-repo";
import { ACCOUNT_LIMIT, accountKey, clientAddressKey, recordSignInFailure, retryAfterMs, SIGN_IN_WINDOW_MS, signInWait } from "./sign-in-limit";

describe("clientAddressKey", () => {
  it.each<[string, Parameters<typeof clientAddressKey>[0], string]>([
    ["the first forwarded entry behind a trusted proxy", { headers: { "x-forwarded-for": "203.0.113.7, 10.0.0.1" }, trustProxy: true }, "address:203.0.113.7"],
    ["an IPv6 client behind a trusted proxy", { headers: { "x-forwarded-for": "2001:DB8::1" }, trustProxy: true }, "address:2001:db8::1"],
    [
      "the connection's address when the proxy is not trusted",
      { headers: { "x-forwarded-for": "203.0.113.7" }, trustProxy: false, connectionAddress: "198.51.100.2" },
      "address:198.51.100.2",
    ],
    ["one shared key when the header is the client's own claim", { headers: { "x-forwarded-for": "203.0.113.7" }, trustProxy: false }, "address:unknown"],
    ["one shared key without any address", { headers: {}, trustProxy: true }, "address:unknown"],
    ["one shared key for garbage", { headers: { "x-forwarded-for": "<script>" }, trustProxy: true }, "address:unknown"],
    ["one shared key for an absurd length", { headers: { "x-forwarded-for": "1".repeat(500) }, trustProxy: true }, "address:unknown"],
  ])("%s", (_name, input, key) => {
    expect(clientAddressKey(input)).toBe(key);
  });
});

describe("retryAfterMs", () => {
  const start = new Date(1_000_000);
  it("locks at the limit until the window ends", () => {
    expect(retryAfterMs({ windowStart: start, failures: 9 }, 10, new Date(1_000_001))).toBe(0);
    expect(retryAfterMs({ windowStart: start, failures: 10 }, 10, new Date(1_000_000 + 60_000))).toBe(SIGN_IN_WINDOW_MS - 60_000);
    expect(retryAfterMs({ windowStart: start, failures: 50 }, 10, new Date(1_000_000 + SIGN_IN_WINDOW_MS))).toBe(0);
  });
});

describe("failed sign-ins", () => {
  // Each test's client has its own address, so tests never share the one key for unknown addresses.
  beforeAll(() => vi.stubEnv("SPECLEDGER_TRUST_PROXY", "1"));
  afterAll(() => vi.unstubAllEnvs());
  const randomAddress = () => `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

  /** The credentials provider's authorize, from a fresh copy of the module: another app process. */
  async function process() {
    vi.resetModules();
    const { authOptions } = await import("./options");
    const provider = authOptions.providers.find((p) => p.id === "credentials") as unknown as {
      options: { authorize: (raw: Record<string, string>, req: { headers: Record<string, string> }) => Promise<{ id: string } | null> };
    };
    const client = randomAddress();
    return (email: string, password: string, address = client) => provider.options.authorize({ email, password }, { headers: { "x-forwarded-for": address } });
  }

  async function user() {
    const email = `${randomName("signin")}@limit.test`;
    await db.user.create({ data: { email, name: "u", role: "viewer", passwordHash: await bcrypt.hash("right-password", 4) } });
    return email;
  }

  it("lock an account after ten across two processes, even against the right password; another account is free", async () => {
    const [first, second] = [await process(), await process()];
    const email = await user();
    const other = await user();
    for (let i = 0; i < ACCOUNT_LIMIT / 2; i++) {
      await expect(first(email, "wrong")).resolves.toBeNull();
      await expect(second(email, "wrong")).resolves.toBeNull();
    }
    await expect(first(email, "right-password")).rejects.toThrow("TooManyAttempts");
    await expect(second(email, "right-password")).rejects.toThrow("TooManyAttempts");
    await expect(second(other, "right-password")).resolves.toMatchObject({ email: other });
  });

  it("count concurrent failures from many processes exactly", async () => {
    const email = await user();
    await Promise.all(Array.from({ length: 7 }, () => recordSignInFailure([accountKey(email)])));
    expect((await db.signInFailure.findUniqueOrThrow({ where: { key: accountKey(email) } })).failures).toBe(7);
  });

  it("are forgotten for the account on success, and start over after the window", async () => {
    const signIn = await process();
    const email = await user();
    for (let i = 0; i < ACCOUNT_LIMIT - 1; i++) await signIn(email, "wrong");
    await expect(signIn(email, "right-password")).resolves.toMatchObject({ email });
    expect(await db.signInFailure.findUnique({ where: { key: accountKey(email) } })).toBeNull();
    for (let i = 0; i < ACCOUNT_LIMIT - 1; i++) await signIn(email, "wrong");
    await expect(signIn(email, "right-password")).resolves.toMatchObject({ email });

    const later = new Date(Date.now() + SIGN_IN_WINDOW_MS + 1000);
    const key = accountKey(`${randomName("window")}@limit.test`);
    for (let i = 0; i < ACCOUNT_LIMIT; i++) await recordSignInFailure([key]);
    expect(await signInWait([key])).toBeGreaterThan(0);
    expect(await signInWait([key], later)).toBe(0);
    await recordSignInFailure([key], later);
    expect((await db.signInFailure.findUniqueOrThrow({ where: { key } })).failures).toBe(1);
  });

  it("lock a client address across accounts", async () => {
    const signIn = await process();
    const address = randomAddress();
    await db.signInFailure.create({ data: { key: `address:${address}`, windowStart: new Date(), failures: 100 } });
    const email = await user();
    await expect(signIn(email, "right-password", address)).rejects.toThrow("TooManyAttempts");
    await expect(signIn(email, "right-password", randomAddress())).resolves.toMatchObject({ email });
  });
});

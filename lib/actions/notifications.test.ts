// The settings page's server actions, called directly with a real session cookie.
import { describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { randomName } from "@/lib/testing/git-repo";

let sessionUserId: string | null = null;
vi.mock("next/headers", async () => ({ cookies: (await import("@/lib/testing/session")).cookiesFor(() => sessionUserId) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("react", async (original) => ({ ...(await original<typeof import("react")>()), cache: <T>(fn: T) => fn }));

process.env.SPECLEDGER_WEBHOOK_ALLOW = "127.0.0.1";
const { createSubscriptionAction, deleteSubscriptionAction, setSubscriptionEnabledAction } = await import("./notifications");

const form = (fields: Record<string, string | string[]>) => {
  const f = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) f.append(name, v);
  return f;
};

describe("notification settings actions", () => {
  it("create shows the secret once; blank optional fields are not filters; disable and delete work; errors come back as messages", async () => {
    const admin = await db.user.create({ data: { email: `${randomName("admin")}@actions.test`, name: "a", role: "admin" } });
    sessionUserId = admin.id;
    const created = await createSubscriptionAction(
      { error: null },
      form({
        url: "http://127.0.0.1:9/hook",
        format: "slack",
        events: ["gate.denied", "import.failed"],
        teamId: "",
        repositoryId: "",
        pathGlob: " ",
        filterTeamId: "",
      }),
    );
    expect(created).toMatchObject({ error: null, secret: expect.stringMatching(/^whsec_/) });
    const row = await db.notificationSubscription.findFirstOrThrow({ where: { createdById: admin.id } });
    expect(row).toMatchObject({ format: "slack", events: ["gate.denied", "import.failed"], teamId: null, filterPath: null, filterRepositoryId: null });

    expect(await createSubscriptionAction({ error: null }, form({ url: "https://192.168.1.1/x", events: ["gate.denied"] }))).toEqual({
      error: expect.stringContaining("private"),
    });
    expect((await createSubscriptionAction({ error: null }, form({ url: "http://127.0.0.1:9/hook" }))).error).toContain("events");

    expect(await setSubscriptionEnabledAction({ error: null }, form({ id: row.id, enabled: "false" }))).toEqual({ error: null, done: true });
    expect((await db.notificationSubscription.findUniqueOrThrow({ where: { id: row.id } })).enabled).toBe(false);

    const viewer = await db.user.create({ data: { email: `${randomName("viewer")}@actions.test`, name: "v", role: "viewer" } });
    sessionUserId = viewer.id;
    expect((await deleteSubscriptionAction({ error: null }, form({ id: row.id }))).error).toMatch(/role/);
    sessionUserId = admin.id;
    expect(await deleteSubscriptionAction({ error: null }, form({ id: row.id }))).toEqual({ error: null, done: true });
    expect(await db.notificationSubscription.count({ where: { id: row.id } })).toBe(0);
  });
});

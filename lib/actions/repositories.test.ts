// The sync-schedule server action, called directly with a session cookie store.
import { describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { randomName } from "@/lib/testing/git-repo";

let sessionUserId: string | null = null;
vi.mock("next/headers", async () => ({ cookies: (await import("@/lib/testing/session")).cookiesFor(() => sessionUserId) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("react", async (original) => ({ ...(await original<typeof import("react")>()), cache: <T>(fn: T) => fn }));

const { setSyncPolicyAction } = await import("./repositories");

const form = (repositoryId: string, syncIntervalMinutes: string) => {
  const f = new FormData();
  f.set("repositoryId", repositoryId);
  f.set("syncIntervalMinutes", syncIntervalMinutes);
  return f;
};
const initial = { error: null, saved: false };
const intervalOf = async (id: string) => (await db.repository.findUniqueOrThrow({ where: { id } })).syncIntervalMinutes;

describe("setSyncPolicyAction", () => {
  it("sets the interval for admins, 'never' turns the schedule off, and anything else is refused with a message", async () => {
    const repo = await db.repository.create({
      data: { name: randomName("sync"), source: `https://${randomName("h")}.example.com/a.git`, sourceKey: randomName("k") },
    });
    const admin = await db.user.create({ data: { email: `${randomName("admin")}@sync.test`, name: "a", role: "admin" } });
    const maintainer = await db.user.create({ data: { email: `${randomName("m")}@sync.test`, name: "m", role: "maintainer" } });

    sessionUserId = admin.id;
    await expect(setSyncPolicyAction(initial, form(repo.id, "60"))).resolves.toEqual({ error: null, saved: true });
    expect(await intervalOf(repo.id)).toBe(60);
    await expect(setSyncPolicyAction(initial, form(repo.id, "never"))).resolves.toEqual({ error: null, saved: true });
    expect(await intervalOf(repo.id)).toBeNull();
    for (const bad of ["", "abc", "010", "1e3", "2", "99999"]) {
      const answer = await setSyncPolicyAction(initial, form(repo.id, bad));
      expect(answer.saved).toBe(false);
      expect(answer.error).toBeTruthy();
    }
    expect(await intervalOf(repo.id)).toBeNull();

    sessionUserId = maintainer.id;
    const refused = await setSyncPolicyAction(initial, form(repo.id, "30"));
    expect(refused).toMatchObject({ saved: false });
    expect(refused.error).toBeTruthy();
    expect(await intervalOf(repo.id)).toBeNull();
  });
});

// The runs-and-tickets settings actions, called directly with a session cookie store.
import { describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { randomName } from "@/lib/testing/git-repo";

let sessionUserId: string | null = null;
vi.mock("next/headers", async () => ({ cookies: (await import("@/lib/testing/session")).cookiesFor(() => sessionUserId) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("react", async (original) => ({ ...(await original<typeof import("react")>()), cache: <T>(fn: T) => fn }));

const { setLastGreenAction, setTicketPolicyAction } = await import("./run-policies");

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};
const initial = { error: null };
const user = (role: "admin" | "maintainer" | "viewer") => db.user.create({ data: { email: `${randomName(role)}@run-policies.test`, name: role, role } });

describe("last-green settings action", () => {
  it("lets an admin save the minimum; refuses other roles and values that are not 1..1000", async () => {
    const [admin, maintainer] = await Promise.all([user("admin"), user("maintainer")]);

    sessionUserId = maintainer.id;
    expect(await setLastGreenAction(initial, form({ minSucceeded: "1" }))).toEqual({ error: expect.stringMatching(/maintainer/) });
    sessionUserId = null;
    expect(await setLastGreenAction(initial, form({ minSucceeded: "1" }))).toEqual({ error: expect.stringMatching(/Sign in/) });

    sessionUserId = admin.id;
    for (const bad of ["0", "1001", "two", "", "1.5", "-3"]) {
      const answer = await setLastGreenAction(initial, form({ minSucceeded: bad }));
      expect(answer.error, bad).toMatch(/minSucceeded/);
    }
    expect(await db.auditEvent.count({ where: { action: "runs.last_green_policy_set", actorId: { in: [admin.id, maintainer.id] } } })).toBe(0);

    // 1 is the default, so saving it does not change what other tests running alongside read.
    expect(await setLastGreenAction(initial, form({ minSucceeded: " 1 " }))).toEqual({ error: null, saved: true });
    const events = await db.auditEvent.findMany({ where: { action: "runs.last_green_policy_set", actorId: admin.id } });
    expect(events.map((e) => (e.payload as { after: unknown }).after)).toEqual([{ minSucceeded: 1 }]);
  });
});

describe("ticket policy settings action", () => {
  it("lets an admin set and turn off a repository's policy; refuses maintainers here, bad prefixes and templates", async () => {
    const repo = await db.repository.create({
      data: { name: randomName("tickets-ui"), source: `https://${randomName("h")}.example.com/a.git`, sourceKey: randomName("k") },
    });
    const [admin, maintainer] = await Promise.all([user("admin"), user("maintainer")]);
    const good = { repositoryId: repo.id, intent: "set", prefixes: "ABC, OPS_2", urlTemplate: "https://tracker.example/browse/{key}" };
    const stored = async () => (await db.repository.findUniqueOrThrow({ where: { id: repo.id } })).ticketPolicy;

    // The API lets maintainers set it; the admins' settings page does not.
    sessionUserId = maintainer.id;
    expect(await setTicketPolicyAction(initial, form(good))).toEqual({ error: expect.stringMatching(/maintainer/) });

    sessionUserId = admin.id;
    for (const bad of [
      { prefixes: "" },
      { prefixes: "abc" },
      { prefixes: "A".repeat(21) },
      { urlTemplate: "https://tracker.example/browse/" },
      { urlTemplate: "javascript:alert(1)//{key}" },
      { repositoryId: "no-such-repository" },
    ]) {
      const answer = await setTicketPolicyAction(initial, form({ ...good, ...bad }));
      expect(answer.error, JSON.stringify(bad)).toBeTruthy();
    }
    expect(await stored()).toBeNull();

    expect(await setTicketPolicyAction(initial, form(good))).toEqual({ error: null, saved: true });
    expect(await stored()).toEqual({ prefixes: ["ABC", "OPS_2"], urlTemplate: "https://tracker.example/browse/{key}" });

    sessionUserId = maintainer.id;
    expect((await setTicketPolicyAction(initial, form({ repositoryId: repo.id, intent: "off" }))).error).toBeTruthy();
    sessionUserId = admin.id;
    expect(await setTicketPolicyAction(initial, form({ repositoryId: repo.id, intent: "off" }))).toEqual({ error: null, saved: true });
    expect(await stored()).toBeNull();
  });
});

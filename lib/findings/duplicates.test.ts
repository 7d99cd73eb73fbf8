import { afterAll, describe, expect, it } from "vitest";
import { db, type Role } from "@/lib/db";
import { importRepository } from "@/lib/repositories/import";
import { TestRepo, randomName } from "@/lib/testing/git-repo";
import { decideDuplicateCluster } from "@/lib/operations/findings";
import { findDuplicateClusters } from "./duplicates";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

async function user(role: Role) {
  return db.user.create({ data: { email: `${randomName(role)}@dup.test`, name: role, role }, select: { id: true, email: true, role: true } });
}

async function imported(files: Record<string, string>) {
  const repo = TestRepo.create();
  repos.push(repo);
  repo.commit("specs", files);
  const record = await db.repository.create({ data: { name: randomName("dup"), source: repo.path } });
  await importRepository({ repositoryId: record.id });
  return { repo, record };
}

const VOCABULARY =
  "refund order ledger account payment invoice customer merchant currency amount card retry window audit report export import webhook event queue batch limit policy review owner".split(
    " ",
  );

/** A spec whose wording is drawn from `topic` as a seed: two topics share almost no phrasing. */
function spec(topic: string, extra = "") {
  let state = [...topic].reduce((h, ch) => Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0, 2166136261) || 1;
  const pick = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return VOCABULARY[(state >>> 0) % VOCABULARY.length];
  };
  const lines = Array.from(
    { length: 40 },
    (_, i) => `- FR-${String(i + 1).padStart(3, "0")}: The system SHALL ${pick()} the ${pick()} ${pick()} when the ${pick()} ${pick()} ${pick()}.`,
  );
  return `# ${topic}\n\n## Requirements\n\n${lines.join("\n")}\n${extra}`;
}

describe("duplicate clusters", () => {
  it("finds a spec copied and edited across repositories, and exact copies; never small or unrelated files", async () => {
    const topic = randomName("refunds");
    const a = await imported({ "specs/refunds/spec.md": spec(topic), "AGENTS.md": "# Agents\n" });
    const b = await imported({ "specs/returns/spec.md": spec(topic, "\n## Notes\n\nReturns reuse the refund flow.\n"), "AGENTS.md": "# Agents\n" });
    const c = await imported({ "docs/specs/refunds.md": spec(topic), "specs/other/spec.md": spec(randomName("ledger")) });
    const viewer = await user("viewer");
    const clusters = await findDuplicateClusters(viewer);
    const ours = clusters.find((cl) => cl.members.some((m) => m.repository === a.record.name && m.path === "specs/refunds/spec.md"))!;
    expect(ours.kind).toBe("near");
    expect(ours.members.map((m) => `${m.repository}:${m.path}`).sort()).toEqual(
      [`${a.record.name}:specs/refunds/spec.md`, `${b.record.name}:specs/returns/spec.md`, `${c.record.name}:docs/specs/refunds.md`].sort(),
    );
    expect(ours.similarity).toBeGreaterThanOrEqual(0.8);
    expect(ours.similarity).toBeLessThan(1);
    // "# Agents" is in many repositories, but far too short to count.
    expect(clusters.some((cl) => cl.members.some((m) => m.repository === a.record.name && m.path === "AGENTS.md"))).toBe(false);
    expect(clusters.some((cl) => cl.members.some((m) => m.repository === c.record.name && m.path === "specs/other/spec.md"))).toBe(false);

    // Dismissing is for maintainers, audited, and lasts until a member changes.
    await expect(decideDuplicateCluster(viewer, { key: ours.key, dismissed: true })).rejects.toMatchObject({ code: "forbidden" });
    await expect(decideDuplicateCluster(await user("reviewer"), { key: ours.key, dismissed: true })).rejects.toMatchObject({ code: "forbidden" });
    const maintainer = await user("maintainer");
    await expect(decideDuplicateCluster(maintainer, { key: ours.key })).rejects.toMatchObject({ code: "unprocessable" });
    await expect(decideDuplicateCluster(maintainer, { key: ours.key, dismissed: true, canonicalSpecId: ours.members[0].specId })).rejects.toMatchObject({
      code: "unprocessable",
    });
    await expect(decideDuplicateCluster(maintainer, { key: "not-a-key", dismissed: true })).rejects.toMatchObject({ code: "unprocessable" });
    await expect(decideDuplicateCluster(maintainer, { key: ours.key, canonicalSpecId: c.record.id })).rejects.toMatchObject({ code: "unprocessable" });
    expect(await db.duplicateDecision.findUnique({ where: { key: ours.key } })).toBeNull();
    expect(await decideDuplicateCluster(maintainer, { key: ours.key, canonicalSpecId: ours.members[0].specId })).toEqual({
      key: ours.key,
      dismissed: false,
      canonicalSpecId: ours.members[0].specId,
    });
    await decideDuplicateCluster(maintainer, { key: ours.key, dismissed: true });
    expect((await findDuplicateClusters(viewer)).some((cl) => cl.key === ours.key)).toBe(false);
    expect((await findDuplicateClusters(viewer, { includeDismissed: true })).find((cl) => cl.key === ours.key)).toMatchObject({
      dismissed: true,
      canonicalSpecId: ours.members[0].specId,
    });
    expect(await db.auditEvent.count({ where: { subject: `duplicates:${ours.key}` } })).toBe(2);

    b.repo.commit("edit", { "specs/returns/spec.md": spec(topic, "\n## Notes\n\nReturns reuse the refund flow, and more.\n") });
    await importRepository({ repositoryId: b.record.id });
    const again = (await findDuplicateClusters(viewer)).find((cl) =>
      cl.members.some((m) => m.repository === a.record.name && m.path === "specs/refunds/spec.md"),
    );
    expect(again).toBeDefined();
    expect(again!.key).not.toBe(ours.key);
    await expect(decideDuplicateCluster(maintainer, { key: ours.key, dismissed: false })).rejects.toMatchObject({ code: "not_found" });
  });
});

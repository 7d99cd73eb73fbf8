import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { withPgTransaction } from "@/lib/db/pg";
import { hashContent } from "@/lib/specs/content";
import { randomName } from "@/lib/testing/git-repo";
import { openContentStaging, storeContents } from "./store-contents";

describe("content staging and storeContents", () => {
  it("stages each content once and stores it in Content, keeping contents already stored", async () => {
    const texts = [`# one ${randomName()}\n`, `# two ${randomName()}\n`];
    const [one, two] = texts.map((t) => Buffer.from(t));
    // One of them is already stored (by another repository's import).
    await db.content.create({ data: { hash: hashContent(one), size: one.length, text: texts[0] } });

    const staged = await withPgTransaction(async (client) => {
      const staging = await openContentStaging(client);
      const added = [
        staging.add(hashContent(one), one.length, one),
        staging.add(hashContent(two), two.length, two),
        staging.add(hashContent(two), two.length, two),
      ];
      await staging.end();
      await storeContents(client);
      return { added, count: staging.count };
    });
    expect(staged).toEqual({ added: [true, true, false], count: 2 });
    const stored = await db.content.findMany({ where: { hash: { in: [hashContent(one), hashContent(two)] } }, orderBy: { size: "asc" } });
    expect(stored.map((c) => c.text).sort()).toEqual([...texts].sort());
  });

  it("stores nothing when the transaction rolls back", async () => {
    const text = Buffer.from(`# lost ${randomName()}\n`);
    await expect(
      withPgTransaction(async (client) => {
        const staging = await openContentStaging(client);
        staging.add(hashContent(text), text.length, text);
        await staging.end();
        await storeContents(client);
        throw new Error("later stage failed");
      }),
    ).rejects.toThrow("later stage failed");
    expect(await db.content.count({ where: { hash: hashContent(text) } })).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { withPgTransaction } from "@/lib/db/pg";
import { randomName } from "@/lib/testing/git-repo";
import { featuresOf, storeFeatures } from "./derive-features";

describe("featuresOf", () => {
  it("names one feature per specs/<name>/ folder, nested or not, and none for files outside one", () => {
    const features = featuresOf([
      { path: "specs/001-login/spec.md" },
      { path: "specs/001-login/contracts/api.md" },
      { path: ".kiro/specs/cart/requirements.md" },
      { path: "AGENTS.md" },
      { path: "specs/README.md" },
    ]);
    expect([...features]).toEqual([
      ["specs/001-login", "001-login"],
      [".kiro/specs/cart", "cart"],
    ]);
  });
});

describe("storeFeatures", () => {
  it("adds the features a repository lacks and returns every id, keeping the existing ones", async () => {
    const repo = await db.repository.create({ data: { name: randomName("repo"), source: "/nowhere" } });
    const existing = await db.feature.create({ data: { repositoryId: repo.id, key: "specs/a", name: "a" } });
    const ids = await withPgTransaction((client) =>
      storeFeatures(client, {
        repositoryId: repo.id,
        features: new Map([
          ["specs/a", "a"],
          ["specs/b", "b"],
        ]),
      }),
    );
    expect(ids.get("specs/a")).toBe(existing.id);
    const stored = await db.feature.findMany({ where: { repositoryId: repo.id }, orderBy: { key: "asc" } });
    expect(stored.map((f) => [f.key, f.id])).toEqual([
      ["specs/a", existing.id],
      ["specs/b", ids.get("specs/b")],
    ]);
    expect(await withPgTransaction((client) => storeFeatures(client, { repositoryId: repo.id, features: new Map() }))).toEqual(new Map());
  });
});

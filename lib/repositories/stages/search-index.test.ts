import { describe, expect, it } from "vitest";
import { pgPool } from "@/lib/db/pg";
import type { SpecRow } from "@/lib/specs/history";
import { SEARCH_VECTOR_SQL, computeSearchVectors, openHelper } from "./search-index";

const spec = (id: string, path: string, currentHash: string | null): SpecRow => ({
  id,
  path,
  kind: "agent",
  deleted: false,
  deletedAt: null,
  deletedInCommit: null,
  currentHash,
  versionCount: 1,
  isNew: true,
});

describe("computeSearchVectors", () => {
  it("computes on the helper what the database computes from path and text, for specs whose text was kept", async () => {
    const texts = new Map([["h1", "Users sign in with a password."]]);
    const specs = [spec("a", "specs/login/spec.md", "h1"), spec("b", "AGENTS.md", "not-kept"), spec("c", "GEMINI.md", null)];
    const helper = openHelper();
    const vectors = await computeSearchVectors(helper, specs, texts).finally(() => helper.then((h) => h?.end()));
    const { rows } = await pgPool().query<{ v: string }>(`SELECT (${SEARCH_VECTOR_SQL("$1::text", "$2::text")})::text AS v`, [
      "specs/login/spec.md",
      "Users sign in with a password.",
    ]);
    expect([...vectors]).toEqual([["a", rows[0].v]]);
  });

  it("leaves everything to the transaction without a helper connection", async () => {
    const vectors = await computeSearchVectors(Promise.resolve(null), [spec("a", "AGENTS.md", "h1")], new Map([["h1", "text"]]));
    expect(vectors.size).toBe(0);
  });
});

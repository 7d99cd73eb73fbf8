import { describe, expect, it } from "vitest";
import { preparedCache, preparedSize } from "./prepared-cache";
import { prepareRepository, type PreparedRepository } from "./resolve";

/** A prepared repository with one governed file of `chars` characters. */
const repositoryOf = (name: string, chars: number) => prepareRepository([{ path: `${name}/AGENTS.md`, kind: "agents", text: "x".repeat(chars) }]);

/** A cache whose loads are counted per key and resolve only when released, so concurrent misses really overlap. */
function countingCache(maxBytes: number, chars: Record<string, number>) {
  const loads: string[] = [];
  const waiting: (() => void)[] = [];
  const inner = preparedCache({ maxBytes });
  const load = (name: string) => () => {
    loads.push(name);
    return new Promise<PreparedRepository>((resolve) => waiting.push(() => resolve(repositoryOf(name, chars[name]))));
  };
  const cache = { get: (name: string) => inner.get(name, load(name)) };
  const releaseAll = () => waiting.splice(0).forEach((release) => release());
  return { cache, loads, releaseAll };
}

/** Asks for `name` and lets its load (if one starts) finish. */
async function ask(c: ReturnType<typeof countingCache>, name: string) {
  const answer = c.cache.get(name);
  c.releaseAll();
  return answer;
}

describe("preparedSize", () => {
  it("grows with the texts and the paths", () => {
    expect(preparedSize(repositoryOf("a", 2000)) - preparedSize(repositoryOf("a", 1000))).toBe(2000);
    expect(preparedSize(prepareRepository([], [{ path: "a/b.ts", size: 1 }]))).toBeGreaterThan(preparedSize(prepareRepository([], [])));
  });
});

describe("preparedCache", () => {
  it("loads once for concurrent misses of one key, and answers every caller with the same repository", async () => {
    const c = countingCache(1_000_000, { a: 10, b: 10 });
    const answers = [c.cache.get("a"), c.cache.get("a"), c.cache.get("a"), c.cache.get("b")];
    c.releaseAll();
    const [a1, a2, a3, b] = await Promise.all(answers);
    expect(c.loads.sort()).toEqual(["a", "b"]);
    expect(a2).toBe(a1);
    expect(a3).toBe(a1);
    expect(b).not.toBe(a1);
    await ask(c, "a");
    expect(c.loads).toHaveLength(2);
  });

  it("evicts the least recently used repository when the bytes would pass the bound, whatever the count", async () => {
    const size = preparedSize(repositoryOf("a", 10_000));
    // Room for two repositories of this size, not three.
    const c = countingCache(size * 2 + size / 2, { a: 10_000, b: 10_000, c: 10_000 });
    await ask(c, "a");
    await ask(c, "b");
    await ask(c, "a"); // a is now the most recently used
    expect(c.loads).toEqual(["a", "b"]);
    await ask(c, "c"); // b goes
    await ask(c, "a");
    expect(c.loads).toEqual(["a", "b", "c"]);
    await ask(c, "b");
    expect(c.loads).toEqual(["a", "b", "c", "b"]);
  });

  it("keeps many small repositories (no count limit) but not one larger than the bound, which is still answered", async () => {
    const chars = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`r${i}`, 10]));
    const c = countingCache(1_000_000, { ...chars, huge: 2_000_000 });
    for (const name of Object.keys(chars)) await ask(c, name);
    for (const name of Object.keys(chars)) await ask(c, name);
    expect(c.loads).toHaveLength(50);
    expect((await ask(c, "huge")).byPath.get("huge/AGENTS.md")?.text).toHaveLength(2_000_000);
    await ask(c, "huge");
    expect(c.loads.filter((n) => n === "huge")).toHaveLength(2);
  });

  it("does not keep a failed load: the next question loads again", async () => {
    let calls = 0;
    const cache = preparedCache({ maxBytes: 1_000_000 });
    const load = async () => {
      calls += 1;
      if (calls === 1) throw new Error("git failed");
      return repositoryOf("a", 1);
    };
    await expect(cache.get("a", load)).rejects.toThrow("git failed");
    await expect(cache.get("a", load)).resolves.toMatchObject({ sorted: ["a/AGENTS.md"] });
    expect(calls).toBe(2);
  });
});

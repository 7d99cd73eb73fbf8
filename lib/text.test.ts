import { describe, expect, it } from "vitest";
import { plural } from "./text";

describe("plural", () => {
  it.each([
    [0, "run", "0 runs"],
    [1, "run", "1 run"],
    [2, "open finding", "2 open findings"],
    [12345, "version", "12,345 versions"],
  ])("%i %s -> %s", (n, word, expected) => expect(plural(n, word)).toBe(expected));
});

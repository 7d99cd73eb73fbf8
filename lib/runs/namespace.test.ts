import { describe, expect, it } from "vitest";
import { pickRun } from "./namespace";

const mine = { id: "r1", externalId: "build-7", reportedById: "me" };
const theirs = { id: "r2", externalId: "build-7", reportedById: "them" };
const other = { id: "r3", externalId: "build-7", reportedById: "someone" };

describe("pickRun", () => {
  it.each([
    ["a run id wins over any externalId", "r2", [mine, theirs], { id: "r2" }],
    ["my own run first", "build-7", [theirs, mine], { id: "r1" }],
    ["another reporter's run when only one used the id", "build-7", [theirs], { id: "r2" }],
    ["ambiguous when several others used it and I did not", "build-7", [theirs, other], { ambiguous: 2 }],
    ["nothing", "build-8", [], null],
  ] as const)("%s", (_name, ref, candidates, expected) => {
    expect(pickRun(ref, [...candidates], "me")).toEqual(expected);
  });
});

import { describe, expect, it } from "vitest";
import { leafSpecs } from "../lint";

describe("leafSpecs", () => {
  it("leaves out a spec with another spec below its folder, however deep, and keeps siblings and look-alike folders", () => {
    const files = ["spec.md", "specs/a/spec.md", "specs/a/b/c/spec.md", "specs/a/plan.md", "specs/ab/spec.md", "docs/spec.md", "docs/x/spec.md"].map((p) => ({
      id: p,
      path: p,
    }));
    // The root file is a leaf: "." is no folder that others sit below (as before this was linear).
    expect([...leafSpecs(files)].sort()).toEqual(["spec.md", "specs/a/b/c/spec.md", "specs/ab/spec.md", "docs/x/spec.md"].sort());
  });
});

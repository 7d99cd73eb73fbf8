import { describe, expect, it } from "vitest";
import { evaluateGate, type GateVersion } from "./gate";

const v = (over: Partial<GateVersion>): GateVersion => ({ id: "v1", repository: "payments", path: "specs/a/spec.md", seq: 3, reviewState: "approved", current: true, supersededByBreaking: null, ...over });

describe("evaluateGate", () => {
  it.each([
    ["everything approved", [v({})], [], false, true, []],
    ["nothing behind the deployment", [], [], false, true, []],
    ["rejected", [v({ reviewState: "rejected" })], [], false, false, ["rejected"]],
    ["proposed", [v({ reviewState: "proposed" })], [], false, false, ["proposed"]],
    ["unreviewed", [v({ reviewState: "unreviewed" })], [], false, false, ["unreviewed"]],
    ["unreviewed, allowed", [v({ reviewState: "unreviewed" })], [], true, true, []],
    ["superseded before anyone approved it", [v({ reviewState: "superseded", current: false })], [], false, false, ["unreviewed"]],
    ["superseded before approval, unreviewed allowed", [v({ reviewState: "superseded", current: false })], [], true, true, []],
    ["approved, no longer current, not breaking", [v({ reviewState: "approved", current: false })], [], false, true, []],
    ["superseded by a breaking approval", [v({ reviewState: "approved", current: false, supersededByBreaking: 4 })], [], false, false, ["superseded-breaking"]],
    ["an unresolved reference fails closed", [v({})], [{ reference: "x", proposal: null }], false, false, ["unresolved"]],
    ["a proposal's content", [], [{ reference: "x", proposal: 7 }], true, false, ["proposed"]],
    ["the same version twice counts once", [v({ reviewState: "rejected" }), v({ reviewState: "rejected" })], [], false, false, ["rejected"]],
  ] as const)("%s", (_name, versions, unresolved, allowUnreviewed, ok, codes) => {
    const result = evaluateGate({ versions: [...versions], unresolved: [...unresolved], allowUnreviewed });
    expect(result.ok).toBe(ok);
    expect(result.reasons.map((r) => r.code)).toEqual(codes);
  });
});

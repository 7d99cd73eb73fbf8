import { describe, expect, it } from "vitest";
import { applyWaiver, evaluateGate, type GateVersion } from "./gate";
import { expiryProblem, waiverState } from "./waivers";

const v = (over: Partial<GateVersion>): GateVersion => ({
  id: "v1",
  repository: "payments",
  path: "specs/a/spec.md",
  seq: 3,
  commit: "0123456789abcdef0123456789abcdef01234567",
  reviewState: "approved",
  change: 12,
  current: true,
  supersededByBreaking: null,
  ...over,
});
const subject = { service: "checkout", version: "1.4.0", environment: "production" };

describe("evaluateGate", () => {
  it.each([
    ["everything approved", [v({})], [], false, true, []],
    ["nothing behind the version: unknown provenance is a no", [], [], false, false, ["unknown-provenance"]],
    ["nothing behind the version, even where unreviewed specs may pass", [], [], true, false, ["unknown-provenance"]],
    ["rejected", [v({ reviewState: "rejected" })], [], false, false, ["rejected"]],
    ["proposed", [v({ reviewState: "proposed" })], [], false, false, ["proposed"]],
    ["unreviewed", [v({ reviewState: "unreviewed" })], [], false, false, ["unreviewed"]],
    ["unreviewed, allowed", [v({ reviewState: "unreviewed" })], [], true, true, []],
    ["superseded before anyone approved it", [v({ reviewState: "superseded", current: false })], [], false, false, ["unreviewed"]],
    ["superseded before approval, unreviewed allowed", [v({ reviewState: "superseded", current: false })], [], true, true, []],
    ["approved, no longer current, not breaking", [v({ reviewState: "approved", current: false })], [], false, true, []],
    ["superseded by a breaking approval", [v({ reviewState: "approved", current: false, supersededByBreaking: 4 })], [], false, false, ["superseded-breaking"]],
    [
      "an unreviewed breaking contract change, even where unreviewed specs may pass",
      [v({ reviewState: "unreviewed", breakingChanges: "1 breaking: removed `GET /pets`" })],
      [],
      true,
      false,
      ["unapproved-breaking"],
    ],
    [
      "a proposed breaking contract change",
      [v({ reviewState: "proposed", breakingChanges: "1 breaking: removed `GET /pets`" })],
      [],
      false,
      false,
      ["unapproved-breaking"],
    ],
    ["an approved breaking contract change", [v({ reviewState: "approved", breakingChanges: "1 breaking: removed `GET /pets`" })], [], false, true, []],
    ["an unresolved reference fails closed", [v({})], [{ reference: "x", proposal: null }], false, false, ["unresolved"]],
    ["only unresolved references: no, for that reason", [], [{ reference: "x", proposal: null }], false, false, ["unresolved"]],
    ["a proposal's content", [], [{ reference: "x", proposal: 7 }], true, false, ["proposed"]],
    ["the same version twice counts once", [v({ reviewState: "rejected" }), v({ reviewState: "rejected" })], [], false, false, ["rejected"]],
    [
      "approved, with an open error finding",
      [v({ blockingFindings: [{ id: "f1", rule: "agent-too-many-instructions", message: "AGENTS.md has 240 instructions." }] })],
      [],
      false,
      false,
      ["blocking-finding"],
    ],
    [
      "unreviewed and an open error finding: both said",
      [v({ reviewState: "unreviewed", blockingFindings: [{ id: "f1", rule: "r", message: "m" }] })],
      [],
      false,
      false,
      ["unreviewed", "blocking-finding"],
    ],
  ] as const)("%s", (_name, versions, unresolved, allowUnreviewed, ok, codes) => {
    const result = evaluateGate({ subject, versions: [...versions], unresolved: [...unresolved], allowUnreviewed });
    expect(result.ok).toBe(ok);
    expect(result.reasons.map((r) => r.code)).toEqual(codes);
  });

  it("says which spec, which version, what is missing and what to do", () => {
    const [unreviewed] = evaluateGate({ subject, versions: [v({ reviewState: "unreviewed" })], unresolved: [], allowUnreviewed: false }).reasons;
    expect(unreviewed.message).toBe(
      "payments:specs/a/spec.md version 3 (commit 0123456) was never approved. Approve change #12, or ask an admin to let unreviewed specs through to production.",
    );
    expect(unreviewed.version).toMatchObject({ repository: "payments", path: "specs/a/spec.md", seq: 3 });
    const [unknown] = evaluateGate({ subject, versions: [], unresolved: [], allowUnreviewed: false }).reasons;
    expect(unknown.message).toMatch(
      /^Nothing records which specs shaped checkout 1\.4\.0: its provenance is unknown\. Record the runs that built 1\.4\.0 with `specledger run report`/,
    );
    const [breaking] = evaluateGate({ subject, versions: [v({ supersededByBreaking: 5 })], unresolved: [], allowUnreviewed: false }).reasons;
    expect(breaking.action).toBe("Rebuild checkout 1.4.0 on version 5.");
  });
});

describe("applyWaiver", () => {
  const no = evaluateGate({ subject, versions: [v({ reviewState: "rejected" })], unresolved: [], allowUnreviewed: false });
  const waiver = { id: "w1", by: "maya@example.com", reason: "hotfix for outage 42", expiresAt: "2026-12-04T00:00:00.000Z" };

  it("turns a no into a yes that names the waiver and keeps the reasons it waived", () => {
    const answer = applyWaiver(subject, no, waiver);
    expect(answer).toMatchObject({ ok: true, waivedBy: waiver, reasons: [{ code: "rejected" }] });
    expect(answer.summary).toBe("Yes, by waiver w1 from maya@example.com: hotfix for outage 42, until 2026-12-04T00:00:00.000Z. Waived: 1 reason.");
  });

  it("without a waiver a no stays no; a yes needs no waiver and shows none", () => {
    expect(applyWaiver(subject, no, null)).toMatchObject({ ok: false, waivedBy: null, summary: "No: checkout 1.4.0 may not go to production (1 reason)." });
    expect(applyWaiver(subject, { ok: true, reasons: [] }, waiver)).toMatchObject({ ok: true, waivedBy: null, reasons: [] });
  });
});

describe("waiver rules", () => {
  const now = new Date("2026-12-03T00:00:00Z");
  it.each([
    ["in the past", "2026-12-02T00:00:00Z", "expiresAt must be in the future."],
    ["now", "2026-12-03T00:00:00Z", "expiresAt must be in the future."],
    ["31 days away", "2027-01-03T00:00:01Z", "A waiver lasts at most 30 days."],
    ["30 days away", "2027-01-02T00:00:00Z", null],
    ["an hour away", "2026-12-03T01:00:00Z", null],
  ])("an expiry %s", (_name, at, problem) => {
    expect(expiryProblem(new Date(at), now)).toBe(problem);
  });

  it("revoked wins over expired; active until the expiry", () => {
    expect(waiverState({ revokedAt: new Date("2026-12-01T00:00:00Z"), expiresAt: new Date("2026-12-04T00:00:00Z") }, now)).toBe("revoked");
    expect(waiverState({ revokedAt: null, expiresAt: new Date("2026-12-04T00:00:00Z") }, now)).toBe("active");
    expect(waiverState({ revokedAt: null, expiresAt: now }, now)).toBe("expired");
  });
});

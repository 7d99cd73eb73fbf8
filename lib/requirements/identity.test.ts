import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { extractRequirements } from "./extract";
import { evolveRequirements, matchRequirements, textSimilarity, type TrackedRequirement } from "./identity";

const counter = () => {
  let n = 0;
  return () => `r${++n}`;
};
const track = (text: string, newId = counter()) => evolveRequirements([], extractRequirements(text), newId).state;

describe("matchRequirements", () => {
  it("keeps an explicit id whatever its text became", () => {
    const prior = track("- FR-001: Users sign in with a password.\n");
    const [m] = matchRequirements(prior, extractRequirements("- FR-001: Customers authenticate by passkey only.\n"));
    expect(m).toEqual({ index: 0, priorId: prior[0].id, confidence: 1, how: "key" });
  });

  it("never continues a requirement under a different explicit id, however similar the text", () => {
    const prior = track("- FR-001: Users sign in with a password.\n");
    expect(matchRequirements(prior, extractRequirements("- FR-002: Users sign in with a password.\n"))[0].how).toBe("new");
  });

  it("follows a reworded EARS sentence with its similarity as the confidence, and refuses an unrelated one", () => {
    const prior = track("WHEN a session expires THE session service SHALL redirect the user to the sign-in page.\n");
    const [m] = matchRequirements(prior, extractRequirements("WHEN a session expires THE session service SHALL send the user to the sign-in page.\n"));
    expect(m.how).toBe("similar");
    expect(m.priorId).toBe(prior[0].id);
    expect(m.confidence).toBeGreaterThan(0.5);
    expect(m.confidence).toBeLessThan(1);
    const [other] = matchRequirements(prior, extractRequirements("THE billing service SHALL issue invoices monthly.\n"));
    expect(other.how).toBe("new");
  });

  it("matches identical text after criteria are reordered and renumbered", () => {
    const before =
      "### Requirement 1\n\n#### Acceptance Criteria\n\n1. WHEN a user uploads THE System SHALL store the file.\n2. WHEN a user deletes THE System SHALL remove the file.\n";
    const after =
      "### Requirement 1\n\n#### Acceptance Criteria\n\n1. WHEN a user deletes THE System SHALL remove the file.\n2. WHEN a user renames THE System SHALL keep its history.\n3. WHEN a user uploads THE System SHALL store the file.\n";
    const prior = track(before);
    const matches = matchRequirements(prior, extractRequirements(after));
    expect(matches.map((m) => [m.how, m.priorId])).toEqual([
      ["key", prior[0].id],
      ["text", prior[2].id],
      ["new", null],
      ["text", prior[1].id],
    ]);
  });

  it("gives a reused id to its first definition only and matches the second by text", () => {
    const prior = track("- FR-001: Sign in.\n- FR-001: Export invoices as CSV files.\n");
    const matches = matchRequirements(prior, extractRequirements("- FR-001: Sign in.\n- FR-001: Export invoices as CSV files.\n"));
    expect(matches.map((m) => m.priorId)).toEqual([prior[0].id, prior[1].id]);
  });
});

describe("evolveRequirements", () => {
  it("reports added, changed and removed, and keeps a moved requirement without an event", () => {
    const newId = counter();
    const v1 = evolveRequirements([], extractRequirements("- FR-001: One.\n- FR-002: Two.\n- FR-003: Three.\n"), newId);
    expect(v1.events.map((e) => [e.event, e.key])).toEqual([
      ["added", "FR-001"],
      ["added", "FR-002"],
      ["added", "FR-003"],
    ]);
    const v2 = evolveRequirements(v1.state, extractRequirements("# Title\n\n- FR-002: Two, changed.\n- FR-001: One.\n- FR-004: Four.\n"), newId);
    expect(v2.events.map((e) => [e.event, e.key, e.requirementId])).toEqual([
      ["changed", "FR-002", "r2"],
      ["added", "FR-004", "r4"],
      ["removed", "FR-003", "r3"],
    ]);
    expect(v2.state.find((r) => r.key === "FR-001")).toMatchObject({ id: "r1", line: 4 });
  });

  it("keeps the identities of the Spec Kit template across its real revision (2025-10-03 → 2026-05-12)", () => {
    const read = (f: string) => fs.readFileSync(path.join(__dirname, "fixtures", f), "utf8");
    const newId = counter();
    const v1 = evolveRequirements([], extractRequirements(read("spec-kit-spec-template-2025-10-03.md")), newId);
    const v2 = evolveRequirements(v1.state, extractRequirements(read("spec-kit-spec-template.md")), newId);
    const byKey = (state: TrackedRequirement[]) => new Map(state.map((r) => [r.key, r.id]));
    for (const [key, id] of byKey(v1.state)) expect(byKey(v2.state).get(key)).toBe(id);
    expect(v2.events.filter((e) => e.event === "added").map((e) => e.key)).toEqual(["SC-001", "SC-002", "SC-003", "SC-004"]);
    expect(v2.events.some((e) => e.event === "removed")).toBe(false);
  });
});

describe("textSimilarity", () => {
  it("is the Jaccard similarity of word sets, case-insensitive", () => {
    expect(textSimilarity("a b c", "A B D")).toBe(0.5);
    expect(textSimilarity("", "")).toBe(1);
    expect(textSimilarity("a", "")).toBe(0);
  });
});

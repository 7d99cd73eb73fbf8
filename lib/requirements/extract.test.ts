import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { duplicateKeys, extractRequirements, isEarsSentence, mentionedKeys, MAX_REQUIREMENTS } from "./extract";

const FIXTURES = path.join(__dirname, "fixtures");
const expectations = JSON.parse(fs.readFileSync(path.join(FIXTURES, "expectations.json"), "utf8")) as Record<string, { source: string; keys: string[] }>;
const labels = (text: string) => extractRequirements(text).map((r) => r.key ?? `ears:${r.line}`);

describe("extractRequirements on the labelled fixtures", () => {
  for (const [file, expected] of Object.entries(expectations)) {
    it(`finds exactly the labelled requirements of ${file} (${expected.source})`, () => {
      expect(labels(fs.readFileSync(path.join(FIXTURES, file), "utf8"))).toEqual(expected.keys);
    });
  }
});

describe("extractRequirements", () => {
  it("reads a Spec Kit bullet's text without its markup", () => {
    const [r] = extractRequirements("- **FR-001**: System MUST let users `sign in`.\n");
    expect(r).toMatchObject({ key: "FR-001", explicit: true, kind: "functional", text: "FR-001: System MUST let users sign in.", line: 1, parent: null });
    expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("keys a Kiro criterion by its requirement and the author's number, and keeps the block's prose as the requirement", () => {
    const text =
      "### Requirement 3: Export\n\n**User Story:** As a user I want exports.\n\n#### Acceptance Criteria\n\n2. WHEN the user exports THE System SHALL write a CSV file.\n";
    const found = extractRequirements(text);
    expect(found.map((r) => [r.key, r.kind, r.parent, r.line])).toEqual([
      ["R3", "requirement", null, 1],
      ["R3.2", "criterion", "R3", 7],
    ]);
    expect(found[0].text).toBe("Requirement 3: Export User Story: As a user I want exports.");
  });

  it("numbers EARS criteria under a Spec Kit heading in order", () => {
    const text =
      "### FR-002: Pay\n\nCards are charged.\n\n- WHEN a card is valid THE service SHALL charge it.\n- IF the card is declined THEN THE service SHALL answer 402.\n";
    expect(labels(text)).toEqual(["FR-002", "FR-002.1", "FR-002.2"]);
  });

  it("joins a list item's indented continuation lines", () => {
    const [r] = extractRequirements("- **FR-001**: System MUST keep\n  every receipt for ten years.\n- other\n");
    expect(r.text).toBe("FR-001: System MUST keep every receipt for ten years.");
  });

  it("ignores references in prose, code blocks, front matter and lowercase shall prose", () => {
    const text =
      "---\ntitle: WHEN x THE System SHALL y\n---\nSee FR-001 for details.\n```\n- FR-002: in code\n```\nThe team shall decide.\nWhen in doubt, ask.\n";
    expect(extractRequirements(text)).toEqual([]);
  });

  it("reports ids a spec defines twice", () => {
    const found = extractRequirements("- FR-001: one\n- FR-002: two\n- FR-001: one again\n");
    expect(duplicateKeys(found)).toEqual([{ key: "FR-001", lines: [1, 3] }]);
    expect(duplicateKeys(extractRequirements("- FR-001: one\n"))).toEqual([]);
  });

  it("returns nothing for binary content and empty input, and caps huge specs", () => {
    expect(extractRequirements("- FR-001: a\u0000b")).toEqual([]);
    expect(extractRequirements("")).toEqual([]);
    const huge = Array.from({ length: 200_000 }, (_, i) => `- REQ-${i}: requirement number ${i}`).join("\n"); // ~6 MB
    const found = extractRequirements(huge);
    expect(found).toHaveLength(MAX_REQUIREMENTS);
    expect(found.at(-1)!.key).toBe(`REQ-${MAX_REQUIREMENTS - 1}`);
  });

  it("skips lines too long to be a requirement instead of scanning them", () => {
    expect(extractRequirements(`- FR-001: ${"x".repeat(10_000)}\n- FR-002: short`).map((r) => r.key)).toEqual(["FR-002"]);
  });

  it("tells EARS sentences from prose", () => {
    expect(isEarsSentence("WHEN a user signs in THE System SHALL record it.")).toBe(true);
    expect(isEarsSentence("1. THE System SHALL log.")).toBe(true);
    expect(isEarsSentence("The system shall log.")).toBe(false);
    expect(isEarsSentence("When in doubt SHALL")).toBe(false);
  });

  it("lists the ids a text mentions once each", () => {
    expect(mentionedKeys("covers FR-001, FR-001 and REQ-12 but not XFR-1")).toEqual(["FR-001", "REQ-12"]);
  });

  it("reads [@test path] links beside a requirement, outside its text and hash", () => {
    const [plain] = extractRequirements("- **FR-001**: Users MUST sign in.\n");
    const [linked, block] = extractRequirements(
      "- **FR-001**: Users MUST sign in. [@test ./tests/login.test.ts] [@test e2e/login.spec.ts] [@test tests/login.test.ts]\n\n### FR-002: Logout\n\nUsers MUST sign out.\n[@test tests/logout.test.ts]\n",
    );
    expect(linked.tests).toEqual(["tests/login.test.ts", "e2e/login.spec.ts"]);
    expect(linked.hash).toBe(plain.hash);
    expect(linked.text).toBe(plain.text);
    expect(block).toMatchObject({ key: "FR-002", tests: ["tests/logout.test.ts"], text: "FR-002: Logout Users MUST sign out." });
    expect(plain.tests).toBeUndefined();
  });
});

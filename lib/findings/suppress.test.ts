import { describe, expect, it } from "vitest";
import { EMPTY_REPO_CONFIG, inlineSuppressions, parseRepoConfig, silenceHints, silencedByRepo, silencedInline } from "./suppress";

describe("inline suppressions", () => {
  const text = [
    "# AGENTS.md", // 1
    "<!-- specledger-disable-next-line agent-task-specific -->", // 2
    "- Use the old client for now.", // 3
    "- Ship it for now.", // 4
    "- Deploy today. <!-- specledger-disable-line agent-task-specific, broken-reference -->", // 5
    "<!-- specledger-disable-next-line -->", // 6
    "- See `src/gone.ts` for now.", // 7
    "```md", // 8
    "<!-- specledger-disable agent-too-long -->", // 9
    "```", // 10
  ].join("\n");
  const s = inlineSuppressions(text);

  it("silences the named rule on the next line only", () => {
    expect(silencedInline(s, "agent-task-specific", 3)).toBe(true);
    expect(silencedInline(s, "agent-task-specific", 4)).toBe(false);
    expect(silencedInline(s, "agent-rotting-paths", 3)).toBe(false);
  });

  it("silences several rules on the comment's own line, and every rule when none is named", () => {
    expect(silencedInline(s, "broken-reference", 5)).toBe(true);
    expect(silencedInline(s, "agent-task-specific", 5)).toBe(true);
    expect(silencedInline(s, "broken-reference", 7)).toBe(true);
    expect(silencedInline(s, "agent-task-specific", 7)).toBe(true);
  });

  it("ignores directives shown as examples in fenced code, and whole-file findings are not silenced by line comments", () => {
    expect(silencedInline(s, "agent-too-long", null)).toBe(false);
    expect(silencedInline(s, "agent-task-specific", null)).toBe(false);
  });

  it("silences a rule for the whole file", () => {
    const whole = inlineSuppressions("# A\n\n<!-- specledger-disable agent-too-long -->\n");
    expect(silencedInline(whole, "agent-too-long", null)).toBe(true);
    expect(silencedInline(whole, "agent-too-long", 40)).toBe(true);
    expect(silencedInline(whole, "agent-task-specific", 40)).toBe(false);
  });
});

describe(".specledger.yml", () => {
  it("reads disabled rules and ignored globs", () => {
    const { config, error } = parseRepoConfig("lint:\n  disable: [agent-task-specific]\n  ignore:\n    - 'docs/vendor/**'\n");
    expect(error).toBeNull();
    expect(silencedByRepo(config, "agent-task-specific", "AGENTS.md")).toBe(true);
    expect(silencedByRepo(config, "broken-reference", "AGENTS.md")).toBe(false);
    expect(silencedByRepo(config, "broken-reference", "docs/vendor/x/AGENTS.md")).toBe(true);
  });

  it("treats a missing or empty file as silencing nothing", () => {
    expect(parseRepoConfig(null)).toEqual({ config: EMPTY_REPO_CONFIG, error: null });
    expect(parseRepoConfig("  \n")).toEqual({ config: EMPTY_REPO_CONFIG, error: null });
    expect(silencedByRepo(EMPTY_REPO_CONFIG, "agent-too-long", "AGENTS.md")).toBe(false);
  });

  it.each([
    ["lint: [unclosed", /not valid YAML/],
    ["lint:\n  disable: agent-too-long\n", /lint\.disable/],
    ["lint:\n  disable: ['Not A Rule!']\n", /rule id/],
    ["lint:\n  ignore: [3]\n", /lint\.ignore/],
  ])("refuses %j and silences nothing", (text, message) => {
    const { config, error } = parseRepoConfig(text);
    expect(config).toEqual(EMPTY_REPO_CONFIG);
    expect(error).toMatch(message);
  });
});

describe("silenceHints", () => {
  it("names the rule for a line, the file and the repository", () => {
    const hints = silenceHints("broken-reference", "docs/AGENTS.md", 12);
    expect(hints.line).toBe("<!-- specledger-disable-next-line broken-reference -->");
    expect(hints.file).toBe("<!-- specledger-disable broken-reference -->");
    expect(hints.repositoryRule).toContain("- broken-reference");
    expect(hints.repositoryFile).toContain('- "docs/AGENTS.md"');
    expect(silenceHints("agent-too-long", "AGENTS.md", null).line).toBeNull();
  });

  it("gives comments that the parser reads back as silencing that rule", () => {
    const hints = silenceHints("agent-task-specific", "AGENTS.md", 3);
    const s = inlineSuppressions(`# A\n${hints.line}\n- For now.\n`);
    expect(silencedInline(s, "agent-task-specific", 3)).toBe(true);
    expect(silencedByRepo(parseRepoConfig(hints.repositoryRule).config, "agent-task-specific", "x.md")).toBe(true);
    expect(silencedByRepo(parseRepoConfig(hints.repositoryFile).config, "any-rule", "AGENTS.md")).toBe(true);
  });
});

describe("security findings cannot be silenced by the repository they guard (security review)", () => {
  it("a .specledger.yml neither disables nor ignores them", () => {
    const parsed = parseRepoConfig("lint:\n  disable: [agent-dangerous-grant, agent-task-specific]\n  ignore: ['**']\n");
    expect(parsed.error).toBeNull();
    expect(silencedByRepo(parsed.config, "agent-dangerous-grant", ".claude/settings.json")).toBe(false);
    expect(silencedByRepo(parsed.config, "agent-plaintext-secret", ".mcp.json")).toBe(false);
    expect(silencedByRepo(parsed.config, "agent-task-specific", "AGENTS.md")).toBe(true);
  });

  it("refuses an ignore glob that would backtrack without end", () => {
    expect(parseRepoConfig("lint:\n  ignore: ['*a*a*a*a*a*a*b']\n").error).toMatch(/more than three wildcards/);
  });
});

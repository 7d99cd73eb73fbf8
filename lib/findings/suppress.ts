// How people silence a finding they judged wrong, without turning a rule off for everyone:
// an HTML comment in the file (one line or the whole file) and a per-repository file,
// `.specledger.yml`, read at the imported commit. Pure functions; the checks apply them.
import picomatch from "picomatch";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { typedGlobRefusal } from "@/lib/paths";
import { SECURITY_RULE_IDS } from "./agent-config/types";

/** The per-repository settings file, at the repository root. */
export const REPO_CONFIG_PATH = ".specledger.yml";

const ruleList = z.array(z.string().regex(/^[a-z][a-z0-9-]*$/, "a rule id such as agent-task-specific")).max(200);

export const repoConfigSchema = z
  .object({
    lint: z
      .object({
        /** Rule ids (lint rules and broken-reference) that report nothing in this repository. */
        disable: ruleList.default([]),
        /** Globs (repo-relative) of files no lint rule or reference check reports on. */
        ignore: z
          .array(
            z
              .string()
              .min(1)
              .max(500)
              .refine((g) => typedGlobRefusal(g) === null, { error: (issue) => typedGlobRefusal(String(issue.input)) ?? "Not a usable glob." }),
          )
          .max(200)
          .default([]),
      })
      .prefault({}),
  })
  .prefault({});
export type RepoConfig = z.infer<typeof repoConfigSchema>;

export const EMPTY_REPO_CONFIG: RepoConfig = repoConfigSchema.parse({});

/**
 * The repository's settings from the text of `.specledger.yml` (null when there is none). A file
 * that is not valid YAML or not the expected shape silences nothing, and says why.
 */
export function parseRepoConfig(text: string | null): { config: RepoConfig; error: string | null } {
  if (text === null || text.trim() === "") return { config: EMPTY_REPO_CONFIG, error: null };
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    return { config: EMPTY_REPO_CONFIG, error: `${REPO_CONFIG_PATH} is not valid YAML: ${error instanceof Error ? error.message.split("\n")[0] : error}` };
  }
  const parsed = repoConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    return { config: EMPTY_REPO_CONFIG, error: `${REPO_CONFIG_PATH} does not match { lint: { disable: [...], ignore: [...] } }: ${problems}` };
  }
  return { config: parsed.data, error: null };
}

/** Whether the repository's settings silence a rule for a file. */
export function silencedByRepo(config: RepoConfig, rule: string, filePath: string): boolean {
  // Security findings are a governance control over the repository itself: its own files cannot switch them off.
  if (SECURITY_RULE_IDS.has(rule)) return false;
  if (config.lint.disable.includes(rule)) return true;
  return config.lint.ignore.some((glob) => picomatch.isMatch(filePath, glob, { dot: true, windows: false }));
}

/** Rules silenced by comments in one file: "*" stands for every rule. */
export interface InlineSuppressions {
  file: ReadonlySet<string>;
  /** 1-based line → rules silenced on it. */
  lines: ReadonlyMap<number, ReadonlySet<string>>;
}

const DIRECTIVE = /<!--\s*specledger-disable(-next-line|-line)?\b([^>]*?)\s*-->/g;

/**
 * `<!-- specledger-disable rule-a, rule-b -->` silences rules for the whole file,
 * `<!-- specledger-disable-next-line rule -->` for the line below, `<!-- specledger-disable-line rule -->`
 * for its own line; without rule ids, every rule. Directives inside fenced code are examples and do nothing.
 */
export function inlineSuppressions(text: string): InlineSuppressions {
  const file = new Set<string>();
  const lines = new Map<number, Set<string>>();
  let fence: string | null = null;
  text.split(/\r?\n/).forEach((line, i) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (!fence || (marker[0] === fence[0] && marker.length >= fence.length))) {
      fence = fence ? null : marker;
      return;
    }
    if (fence) return;
    for (const m of line.matchAll(DIRECTIVE)) {
      const rules = m[2].split(/[\s,]+/).filter(Boolean);
      const target = m[1] === "-next-line" ? i + 2 : m[1] === "-line" ? i + 1 : null;
      const into = target === null ? file : (lines.get(target) ?? lines.set(target, new Set()).get(target)!);
      for (const rule of rules.length > 0 ? rules : ["*"]) into.add(rule);
    }
  });
  return { file, lines };
}

/** Whether a comment in the file silences this rule at this line (null: a finding about the whole file). */
export function silencedInline(s: InlineSuppressions, rule: string, line: number | null): boolean {
  if (s.file.has("*") || s.file.has(rule)) return true;
  const here = line === null ? undefined : s.lines.get(line);
  return !!here && (here.has("*") || here.has(rule));
}

/** What to write to silence a finding: for its line, its file, the rule in the repository, or the file for every rule. */
export function silenceHints(rule: string, filePath: string, line: number | null) {
  return {
    line: line === null ? null : `<!-- specledger-disable-next-line ${rule} -->`,
    file: `<!-- specledger-disable ${rule} -->`,
    repositoryRule: `lint:\n  disable:\n    - ${rule}`,
    repositoryFile: `lint:\n  ignore:\n    - ${JSON.stringify(filePath)}`,
  };
}

// The table `npm run bench -- lint` prints: precision and recall per rule on the corpus, with
// the rules below the target marked, and whether each is on by default and at what severity.
import { DEFAULT_LINT_CONFIG, LINT_RULES, type LintRuleId } from "../lint";
import { loadManifest, score } from "./evaluate";

export const PRECISION_TARGET = 0.9;

const figure = (x: number | null) => (x === null ? "  n/a" : x.toFixed(2).padStart(5));

/** Default severity of a rule, "off" when disabled by default; broken references are warnings. */
function defaultOf(rule: string): string {
  const lint = LINT_RULES.find((r) => r.id === rule);
  if (!lint) return rule === "broken-reference" ? "warning" : "?";
  const config = DEFAULT_LINT_CONFIG.rules[rule as LintRuleId];
  return config.enabled ? (config.severity ?? lint.defaultSeverity) : "off";
}

export function lintBenchReport(opts: { verbose?: boolean } = {}): { lines: string[]; failing: string[] } {
  const manifest = loadManifest();
  const scores = score(manifest);
  // Every lint rule has a row, with n/a where the corpus has no finding of it (spec rules since decision 050).
  const rules = new Set([...scores.map((s) => s.rule), "broken-reference", ...LINT_RULES.map((r) => r.id)]);
  const lines = [
    `Lint corpus: ${manifest.files.length} files from ${manifest.repositories.length} repositories (lib/findings/corpus/manifest.json)`,
    `${"rule".padEnd(34)} default  found  true  false  missed  precision  recall`,
  ];
  const failing: string[] = [];
  for (const rule of [...rules].sort()) {
    const s = scores.find((x) => x.rule === rule) ?? { truePositives: 0, falsePositives: 0, falseNegatives: 0, precision: null, recall: null, unlabelled: [] };
    const severity = defaultOf(rule);
    const below = s.precision !== null && s.precision < PRECISION_TARGET;
    // Info findings inform and do not ask anyone to act, so the target binds warnings and errors.
    const binding = below && (severity === "warning" || severity === "error");
    if (binding) failing.push(rule);
    const mark = below ? (binding ? "  < target" : "  < target (info only)") : "";
    lines.push(
      `${rule.padEnd(34)} ${severity.padEnd(8)} ${String(s.truePositives + s.falsePositives).padStart(5)} ${String(s.truePositives).padStart(5)} ${String(s.falsePositives).padStart(6)} ${String(s.falseNegatives).padStart(7)}  ${figure(s.precision).padStart(9)}  ${figure(s.recall).padStart(6)}${mark}`,
    );
    if (opts.verbose) for (const u of s.unlabelled) lines.push(`    unlabelled: ${u}`);
  }
  const held = score(manifest, undefined, (f) => !!f.heldOut).filter((s) => s.truePositives + s.falsePositives > 0);
  const heldFiles = manifest.files.filter((f) => f.heldOut).length;
  lines.push(
    `Held out (${heldFiles} files labelled after tuning): ` +
      held.map((s) => `${s.rule} ${s.truePositives}/${s.truePositives + s.falsePositives} precision ${figure(s.precision).trim()}`).join("; "),
  );
  return { lines, failing };
}

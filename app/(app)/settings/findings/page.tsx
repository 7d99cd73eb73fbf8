import { requireUser } from "@/lib/auth/session";
import { LINT_RULES, SEVERITIES } from "@/lib/findings/lint";
import { getFindingsConfig } from "@/lib/findings/settings";
import { FINDING_TYPES } from "@/lib/findings/store";
import { TYPE_LABELS } from "@/lib/findings/types";
import { KeptForm } from "@/components/kept-form";
import { Card, PageHeader, buttonClass, inputClass } from "@/components/ui";
import { saveFindingsSettingsAction } from "@/lib/actions/findings-settings";

export const metadata = { title: "Findings rules" };

const THRESHOLDS = [
  { name: "instructionsWarning", label: "Instructions in an agent file: warning above" },
  { name: "instructionsError", label: "Instructions in an agent file: error above" },
  { name: "maxAgentLines", label: "Lines in an agent file: warning above" },
  { name: "maxSpecTokens", label: "Tokens in a leaf spec: warning above" },
] as const;

export default async function FindingsSettingsPage() {
  await requireUser("policies:manage");
  const config = await getFindingsConfig();
  return (
    <>
      <PageHeader title="Findings rules" description="Which checks run and the lint thresholds, for the whole workspace. Saving recomputes every finding." />
      <KeptForm action={saveFindingsSettingsAction} label="Findings rules" savedMessage="Saved. Findings are being recomputed." className="space-y-6">
        <Card className="p-4">
          <h2 className="font-medium">Checks</h2>
          <div className="mt-3 grid gap-2 sm:grid-cols-2 md:grid-cols-4">
            {FINDING_TYPES.map((t) => (
              <label key={t} className="flex items-center gap-2 text-sm">
                <input type="checkbox" name={`type:${t}`} defaultChecked={config.types[t]} />
                {TYPE_LABELS[t]}
              </label>
            ))}
          </div>
          <label className="mt-4 flex items-start gap-2 text-sm">
            <input type="checkbox" name="stale:inferredGovernance" defaultChecked={config.stale.inferredGovernance} className="mt-1" />
            <span>
              Stale: also infer what a spec governs when it does not say
              <span className="block text-xs text-slate-600">
                Off: a spec is stale only when code it declares changes (its <code>governs:</code> globs, or files its tasks and plan name). On: also the
                folders its tasks name and, failing those, the code beside its specs folder, which makes nearly every spec stale after any commit.
              </span>
            </span>
          </label>
        </Card>
        <Card className="p-4">
          <h2 className="font-medium">Thresholds</h2>
          <div className="mt-3 grid gap-3 md:grid-cols-2">
            {THRESHOLDS.map((t) => (
              <label key={t.name} className="text-sm font-medium">
                {t.label}
                <input type="number" min={1} max={1_000_000} name={t.name} defaultValue={config.lint[t.name]} className={`mt-1 ${inputClass}`} required />
              </label>
            ))}
          </div>
        </Card>
        <Card className="p-4">
          <h2 className="font-medium">Lint rules</h2>
          {/* At 390 px the table scrolls inside its own box; descriptions wrap their links. */}
          <div className="mt-3 max-w-full overflow-x-auto" tabIndex={0} role="region" aria-label="Lint rules">
            <table className="w-full text-sm" data-testid="lint-rules">
              <thead className="text-left text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-1">On</th>
                  <th className="py-1">Rule</th>
                  <th className="py-1">Applies to</th>
                  <th className="py-1">Severity</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 align-top">
                {LINT_RULES.map((r) => (
                  <tr key={r.id}>
                    <td className="py-2 pr-3">
                      <input type="checkbox" name={`rule:${r.id}`} defaultChecked={config.lint.rules[r.id].enabled} aria-label={`Enable ${r.title}`} />
                    </td>
                    <td className="py-2 pr-3">
                      <span className="font-medium">{r.title}</span> <span className="font-mono text-xs text-slate-500 [overflow-wrap:anywhere]">{r.id}</span>
                      <p className="text-xs text-slate-600 [overflow-wrap:anywhere]">{r.description}</p>
                    </td>
                    <td className="py-2 pr-3">{r.appliesTo === "agent" ? "Agent files" : "Specs"}</td>
                    <td className="py-2">
                      <select
                        name={`severity:${r.id}`}
                        defaultValue={config.lint.rules[r.id].severity ?? ""}
                        className={inputClass}
                        aria-label={`Severity of ${r.title}`}
                      >
                        <option value="">Default ({r.defaultSeverity})</option>
                        {SEVERITIES.map((s) => (
                          <option key={s} value={s}>
                            {s}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
        <button type="submit" className={buttonClass}>
          Save and recompute
        </button>
      </KeptForm>
    </>
  );
}

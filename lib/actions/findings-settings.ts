"use server";

import { revalidatePath } from "next/cache";
import { formState, runAction, type FormState } from "@/lib/http/action";
import { LINT_RULES } from "@/lib/findings/lint";
import { FINDING_TYPES } from "@/lib/findings/store";
import { updateFindingsSettings } from "@/lib/operations/findings";

/** Saves the findings rules and thresholds from the settings form; the operation queues a recomputation. */
export async function saveFindingsSettingsAction(_previous: FormState, form: FormData): Promise<FormState> {
  const number = (name: string) => (form.get(name) === "" || form.get(name) === null ? undefined : Number(form.get(name)));
  const outcome = await runAction(updateFindingsSettings, {
    types: Object.fromEntries(FINDING_TYPES.map((t) => [t, form.get(`type:${t}`) === "on"])),
    stale: { inferredGovernance: form.get("stale:inferredGovernance") === "on" },
    lint: {
      rules: Object.fromEntries(
        LINT_RULES.map((r) => [r.id, { enabled: form.get(`rule:${r.id}`) === "on", severity: form.get(`severity:${r.id}`) || undefined }]),
      ),
      instructionsWarning: number("instructionsWarning"),
      instructionsError: number("instructionsError"),
      maxAgentLines: number("maxAgentLines"),
      maxSpecTokens: number("maxSpecTokens"),
    },
  });
  if (outcome.ok) revalidatePath("/settings/findings");
  return formState(outcome);
}

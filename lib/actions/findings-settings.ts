"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { authorize } from "@/lib/auth/session";
import { actionErrorMessage } from "@/lib/http/action";
import { queueFindingsRecompute } from "@/lib/findings/jobs";
import { LINT_RULES } from "@/lib/findings/lint";
import { updateFindingsConfig } from "@/lib/findings/settings";
import { FINDING_TYPES } from "@/lib/findings/store";

/** Saves the findings rules and thresholds from the settings form, then recomputes everything. */
export async function saveFindingsSettingsAction(form: FormData): Promise<void> {
  let error: string | null = null;
  try {
    const viewer = await authorize("policies:manage");
    const number = (name: string) => (form.get(name) === "" ? undefined : Number(form.get(name)));
    await updateFindingsConfig({
      viewer,
      config: {
        types: Object.fromEntries(FINDING_TYPES.map((t) => [t, form.get(`type:${t}`) === "on"])),
        lint: {
          rules: Object.fromEntries(
            LINT_RULES.map((r) => [r.id, { enabled: form.get(`rule:${r.id}`) === "on", severity: form.get(`severity:${r.id}`) || undefined }]),
          ),
          instructionsWarning: number("instructionsWarning"),
          instructionsError: number("instructionsError"),
          maxAgentLines: number("maxAgentLines"),
          maxSpecTokens: number("maxSpecTokens"),
        },
      },
    });
    await queueFindingsRecompute({});
  } catch (caught) {
    error = actionErrorMessage(caught);
  }
  revalidatePath("/settings/findings");
  redirect(error ? `/settings/findings?error=${encodeURIComponent(error)}` : "/settings/findings?saved=1");
}

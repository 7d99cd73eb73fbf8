"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { field, runAction } from "@/lib/http/action";
import { acceptDrift, proposeFindingFix, recomputeFindings, setFindingStatus } from "@/lib/operations/findings";

/** Where to go back to: a findings page only, never elsewhere. */
const backOf = (form: FormData) => z.string().startsWith("/findings").max(2000).catch("/findings").parse(form.get("back"));
const withParam = (back: string, name: string, value: string) => `${back}${back.includes("?") ? "&" : "?"}${name}=${encodeURIComponent(value)}`;

/** Acknowledge, dismiss or reopen the checked findings (the list's bulk buttons and a finding's page). */
export async function setFindingStatusAction(form: FormData): Promise<void> {
  const action = field(form, "action");
  const outcome = await runAction(setFindingStatus, { ids: form.getAll("id").map(String), action, note: field(form, "note") || undefined });
  revalidatePath("/", "layout");
  const back = backOf(form);
  redirect(outcome.ok ? withParam(back, "done", `${action}:${outcome.output.changed}`) : withParam(back, "error", outcome.error));
}

export async function acceptDriftAction(form: FormData): Promise<void> {
  const outcome = await runAction(acceptDrift, { findingId: field(form, "id") });
  revalidatePath("/", "layout");
  if (!outcome.ok) redirect(withParam(`/findings/${encodeURIComponent(field(form, "id"))}`, "error", outcome.error));
}

/** "Propose fix": opens the fix as a change for review and goes to it; a refusal comes back to the finding. */
export async function proposeFindingFixAction(form: FormData): Promise<void> {
  const id = field(form, "id");
  const outcome = await runAction(proposeFindingFix, { findingId: id, contentHash: field(form, "contentHash") || undefined });
  revalidatePath("/", "layout");
  if (!outcome.ok) redirect(withParam(`/findings/${encodeURIComponent(id)}`, "error", outcome.error));
  redirect(`/changes/${outcome.output.number}`);
}

/** Admins: recompute every finding now (the jobs do it after imports and decisions anyway). */
export async function recomputeFindingsAction(): Promise<void> {
  const outcome = await runAction(recomputeFindings, {});
  redirect(outcome.ok ? "/findings?done=recompute:1" : withParam("/findings", "error", outcome.error));
}

"use server";

import { revalidatePath } from "next/cache";
import { field, runAction } from "@/lib/http/action";
import { setEnvironmentPolicy } from "@/lib/operations/provenance";
import { createWaiver, revokeWaiver } from "@/lib/operations/waivers";

export async function setAllowUnreviewedAction(form: FormData): Promise<void> {
  const result = await runAction(setEnvironmentPolicy, { environmentId: field(form, "environmentId"), allow: form.get("allow") === "true" });
  if (!result.ok) throw new Error(result.error);
  revalidatePath("/deployments");
}

export type WaiverActionState = { error: string | null; created?: string };

/** The form gives the expiry in hours from now; the operation checks it (at most 30 days). */
export async function createWaiverAction(_state: WaiverActionState, form: FormData): Promise<WaiverActionState> {
  const hours = Number(field(form, "expiresInHours"));
  if (!Number.isFinite(hours) || hours <= 0) return { error: "Choose how long the waiver lasts." };
  const result = await runAction(createWaiver, {
    service: field(form, "service").trim(),
    version: field(form, "version").trim(),
    environment: field(form, "environment").trim(),
    reason: field(form, "reason"),
    expiresAt: new Date(Date.now() + hours * 3_600_000).toISOString(),
  });
  if (!result.ok) return { error: result.error };
  revalidatePath("/deployments");
  return { error: null, created: result.output.id };
}

export async function revokeWaiverAction(form: FormData): Promise<void> {
  const result = await runAction(revokeWaiver, { id: field(form, "id") });
  if (!result.ok) throw new Error(result.error);
  revalidatePath("/deployments");
}

"use server";

import { revalidatePath } from "next/cache";
import { field, runAction } from "@/lib/http/action";
import { setEnvironmentPolicy } from "@/lib/operations/provenance";

export async function setAllowUnreviewedAction(form: FormData): Promise<void> {
  const result = await runAction(setEnvironmentPolicy, { environmentId: field(form, "environmentId"), allow: form.get("allow") === "true" });
  if (!result.ok) throw new Error(result.error);
  revalidatePath("/deployments");
}

"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { field, runAction } from "@/lib/http/action";
import { decideDuplicateCluster } from "@/lib/operations/findings";

async function decide(input: Record<string, unknown>) {
  const outcome = await runAction(decideDuplicateCluster, input);
  revalidatePath("/duplicates");
  if (!outcome.ok) redirect(`/duplicates?error=${encodeURIComponent(outcome.error)}`);
}

export async function dismissClusterAction(form: FormData): Promise<void> {
  await decide({ key: field(form, "key"), dismissed: field(form, "dismissed") === "true" });
}

export async function markCanonicalAction(form: FormData): Promise<void> {
  await decide({ key: field(form, "key"), canonicalSpecId: field(form, "specId") });
}

"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { idString } from "@/lib/schema";
import { authorize } from "@/lib/auth/session";
import { decideCluster } from "@/lib/findings/duplicates";
import { queueFindingsRecompute } from "@/lib/findings/jobs";

const key = z.string().regex(/^[0-9a-f]{32}$/);

export async function dismissClusterAction(form: FormData): Promise<void> {
  const viewer = await authorize("repositories:write");
  await decideCluster({ viewer, key: key.parse(form.get("key")), dismissed: form.get("dismissed") === "true" });
  await queueFindingsRecompute({ workspaceOnly: true });
  revalidatePath("/duplicates");
}

export async function markCanonicalAction(form: FormData): Promise<void> {
  const viewer = await authorize("repositories:write");
  await decideCluster({ viewer, key: key.parse(form.get("key")), canonicalSpecId: idString().parse(form.get("specId")) });
  await queueFindingsRecompute({ workspaceOnly: true });
  revalidatePath("/duplicates");
}

"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authorize } from "@/lib/auth/session";
import { setEnvironmentAllowsUnreviewed } from "@/lib/deployments";

export async function setAllowUnreviewedAction(form: FormData): Promise<void> {
  const viewer = await authorize("policies:manage");
  await setEnvironmentAllowsUnreviewed({
    viewer,
    environmentId: z.string().min(1).max(100).parse(form.get("environmentId")),
    allow: form.get("allow") === "true",
  });
  revalidatePath("/deployments");
}

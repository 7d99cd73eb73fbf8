"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { idString, text } from "@/lib/schema";
import { authorize } from "@/lib/auth/session";
import { queueFindingsRecompute } from "@/lib/findings/jobs";
import { acceptDrift, setFindingStatus } from "@/lib/findings/store";

const ids = z.array(idString()).max(500);

/** Acknowledge, dismiss or reopen the checked findings (the list's bulk buttons and a finding's page). */
export async function setFindingStatusAction(form: FormData): Promise<void> {
  const viewer = await authorize("reviews:decide");
  const action = z.enum(["acknowledge", "dismiss", "reopen"]).parse(form.get("action"));
  const note = text().max(1000).optional().parse(form.get("note") || undefined);
  const count = await setFindingStatus({ viewer, ids: ids.parse(form.getAll("id")), action, note });
  revalidatePath("/", "layout");
  const back = z.string().startsWith("/findings").max(2000).catch("/findings").parse(form.get("back"));
  redirect(`${back}${back.includes("?") ? "&" : "?"}done=${action}:${count}`);
}

export async function acceptDriftAction(form: FormData): Promise<void> {
  const viewer = await authorize("reviews:decide");
  const id = idString().parse(form.get("id"));
  await acceptDrift({ viewer, findingId: id });
  revalidatePath("/", "layout");
}

/** Admins: recompute every finding now (the jobs do it after imports and decisions anyway). */
export async function recomputeFindingsAction(): Promise<void> {
  await authorize("policies:manage");
  await queueFindingsRecompute({});
  redirect("/findings?done=recompute:1");
}

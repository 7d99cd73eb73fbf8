"use server";

import { revalidatePath } from "next/cache";
import { field, runAction } from "@/lib/http/action";
import { createSubscription, deleteSubscription, redeliverNotification, updateSubscription } from "@/lib/operations/notifications";

export type SubscriptionFormState = { error: string | null; secret?: string; url?: string };
export type SimpleState = { error: string | null; done?: boolean };

/** An optional form field: absent or blank is undefined, so the operation treats it as not given. */
const optional = (form: FormData, name: string) => field(form, name).trim() || undefined;

/** Creates a subscription; its signing secret comes back once, to show. */
export async function createSubscriptionAction(_prev: SubscriptionFormState, form: FormData): Promise<SubscriptionFormState> {
  const result = await runAction(createSubscription, {
    url: field(form, "url"),
    format: field(form, "format") || "standard",
    events: form.getAll("events").map(String),
    teamId: optional(form, "teamId"),
    repositoryId: optional(form, "repositoryId"),
    pathGlob: optional(form, "pathGlob"),
    filterTeamId: optional(form, "filterTeamId"),
  });
  if (!result.ok) return { error: result.error };
  revalidatePath("/settings/notifications");
  return { error: null, secret: result.output.secret, url: result.output.url };
}

/** Enables or disables a subscription. */
export async function setSubscriptionEnabledAction(_prev: SimpleState, form: FormData): Promise<SimpleState> {
  const result = await runAction(updateSubscription, { id: field(form, "id"), enabled: field(form, "enabled") === "true" });
  if (!result.ok) return { error: result.error };
  revalidatePath("/settings/notifications");
  return { error: null, done: true };
}

export async function deleteSubscriptionAction(_prev: SimpleState, form: FormData): Promise<SimpleState> {
  const result = await runAction(deleteSubscription, { id: field(form, "id") });
  if (!result.ok) return { error: result.error };
  revalidatePath("/settings/notifications");
  return { error: null, done: true };
}

/** Queues one more attempt of an event to a subscription. */
export async function redeliverAction(_prev: SimpleState, form: FormData): Promise<SimpleState> {
  const result = await runAction(redeliverNotification, { id: field(form, "id"), eventId: field(form, "eventId") });
  if (!result.ok) return { error: result.error };
  revalidatePath(`/settings/notifications/${result.output.subscriptionId}`);
  return { error: null, done: true };
}

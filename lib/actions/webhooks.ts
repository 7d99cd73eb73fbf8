"use server";

import { revalidatePath } from "next/cache";
import { runAction, field } from "@/lib/http/action";
import { setWebhookSecret } from "@/lib/operations/webhooks";

export type WebhookSecretState = { error: string | null; secret?: string };

/** Sets or rotates the repository's GitHub webhook secret (admins); the secret comes back once, to show. */
export async function setWebhookSecretAction(_prev: WebhookSecretState, form: FormData): Promise<WebhookSecretState> {
  const result = await runAction(setWebhookSecret, { repositoryId: field(form, "repositoryId") });
  if (!result.ok) return { error: result.error };
  revalidatePath(`/repositories/${result.output.repositoryId}`);
  return { error: null, secret: result.output.secret };
}

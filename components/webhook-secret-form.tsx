"use client";

import { useActionState } from "react";
import { setWebhookSecretAction, type WebhookSecretState } from "@/lib/actions/webhooks";
import { secondaryButtonClass } from "./ui";
import { useKeptForm } from "./use-kept-form";

/** Sets or rotates a repository's GitHub webhook secret; the new secret is shown once. */
export function WebhookSecretForm({ repositoryId, isSet }: { repositoryId: string; isSet: boolean }) {
  const [state, action, pending] = useActionState<WebhookSecretState, FormData>(setWebhookSecretAction, { error: null });
  const form = useKeptForm(state, action, pending);
  return (
    <div className="space-y-2 text-sm">
      {state.secret ? (
        <div role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-3">
          <p className="font-medium text-emerald-900">Paste this into the GitHub webhook&apos;s Secret field now: it is not shown again.</p>
          <code data-testid="webhook-secret" className="mt-2 block select-all break-all rounded bg-white px-2 py-1 font-mono">
            {state.secret}
          </code>
        </div>
      ) : null}
      <form {...form} aria-label="Webhook secret">
        <input type="hidden" name="repositoryId" value={repositoryId} />
        <button type="submit" disabled={pending} className={secondaryButtonClass}>
          {isSet || state.secret ? "Rotate webhook secret" : "Set webhook secret"}
        </button>
      </form>
      {state.error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-700">
          {state.error}
        </p>
      ) : null}
    </div>
  );
}

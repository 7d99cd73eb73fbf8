import { setWebhookSecret as set, webhookSecretInput, webhookSecretOutput } from "@/lib/webhooks/secret";
import { operation } from "./operation";

/** Sets or rotates a repository's GitHub webhook secret (admins); the answer is the only time it is shown. */
export const setWebhookSecret = operation({
  name: "repositories.set-webhook-secret",
  summary: "Set or rotate a repository's GitHub webhook secret",
  input: webhookSecretInput,
  output: webhookSecretOutput,
  permission: "webhooks:manage",
  run: ({ tx, viewer, input }) => set(tx, viewer, input),
});

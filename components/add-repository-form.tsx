"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect } from "react";
import { addRepositoryAction, type AddRepositoryState } from "@/lib/actions/repositories";
import { CredentialFields } from "./credential-fields";
import { buttonClass, inputClass } from "./ui";
import { useKeptForm } from "./use-kept-form";

export function AddRepositoryForm() {
  const router = useRouter();
  const [state, action, pending] = useActionState<AddRepositoryState, FormData>(addRepositoryAction, { error: null, repositoryId: null });
  const form = useKeptForm(state, action, pending);
  useEffect(() => {
    if (state.repositoryId) router.push(`/repositories/${state.repositoryId}`);
  }, [state.repositoryId, router]);
  return (
    <form {...form} className="space-y-3" aria-label="Add repository">
      <div className="grid gap-3 md:grid-cols-[2fr_1fr_auto] md:items-end">
        <label className="block text-sm font-medium">
          Local path or git URL
          <input
            name="source"
            required
            maxLength={2000}
            placeholder="/srv/git/payments-service or https://git.example.com/acme/payments.git"
            className={`mt-1 ${inputClass}`}
          />
        </label>
        <label className="block text-sm font-medium">
          Name <span className="font-normal text-slate-500">(optional)</span>
          <input name="name" maxLength={100} placeholder="payments-service" className={`mt-1 ${inputClass}`} />
        </label>
        <button type="submit" disabled={pending} className={buttonClass}>
          {pending ? "Adding…" : "Add repository"}
        </button>
      </div>
      <CredentialFields optional />
      {state.error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}

"use client";

import { useActionState } from "react";
import { confirmEmailAction, linkEmailAction, unlinkEmailAction, type EmailActionState } from "@/lib/actions/emails";
import { buttonClass, inputClass } from "./ui";
import { useKeptForm } from "./use-kept-form";

function ErrorLine({ state }: { state: EmailActionState }) {
  return state.error ? (
    <p role="alert" className="mt-1 text-xs text-red-700">
      {state.error}
    </p>
  ) : null;
}

export function LinkEmailForm() {
  const [state, action, pending] = useActionState(linkEmailAction, { error: null });
  const form = useKeptForm(state, action, pending);
  return (
    <form {...form} aria-label="Link an email" className="flex flex-wrap items-end gap-2">
      <label className="text-sm font-medium">
        Another email you commit with
        <input name="email" type="email" required maxLength={320} placeholder="me@laptop.example" className={`mt-1 ${inputClass}`} />
      </label>
      <button type="submit" disabled={pending} className={buttonClass}>
        Link
      </button>
      <ErrorLine state={state} />
    </form>
  );
}

/** One button (remove or confirm) for one linked email. */
export function EmailButton({ id, email, kind }: { id: string; email: string; kind: "remove" | "confirm" }) {
  const [state, action, pending] = useActionState(kind === "remove" ? unlinkEmailAction : confirmEmailAction, { error: null });
  const form = useKeptForm(state, action, pending);
  return (
    <form {...form} className="inline">
      <input type="hidden" name="id" value={id} />
      <button
        type="submit"
        disabled={pending}
        aria-label={`${kind === "remove" ? "Remove" : "Confirm"} ${email}`}
        className={`text-xs hover:underline ${kind === "remove" ? "text-red-700" : "text-emerald-700"}`}
      >
        {kind === "remove" ? "Remove" : "Confirm"}
      </button>
      <ErrorLine state={state} />
    </form>
  );
}

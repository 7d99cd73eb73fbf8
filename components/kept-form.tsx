"use client";

import { useActionState, type ReactNode } from "react";
import type { FormState } from "@/lib/http/action";
import { useKeptForm } from "./use-kept-form";

/**
 * A form for a server page: its fields are rendered by the page (with the stored values as
 * defaults), the refusal or `savedMessage` shows inline below them, and what was typed survives
 * a refused submit (useKeptForm).
 */
export function KeptForm({
  action,
  label,
  savedMessage,
  className,
  children,
}: {
  action: (previous: FormState, form: FormData) => Promise<FormState>;
  label: string;
  savedMessage: string;
  className?: string;
  children: ReactNode;
}) {
  const [state, dispatch, pending] = useActionState(action, { error: null });
  const form = useKeptForm(state, dispatch, pending);
  return (
    <form {...form} aria-label={label} aria-busy={pending || undefined} className={className}>
      {children}
      {state.error ? (
        <p role="alert" className="mt-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {state.error}
        </p>
      ) : state.saved ? (
        <p role="status" className="mt-2 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          {savedMessage}
        </p>
      ) : null}
    </form>
  );
}

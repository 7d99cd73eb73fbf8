"use client";

import { useActionState } from "react";
import { clearCredentialAction, setCredentialAction, type CredentialState } from "@/lib/actions/credentials";
import { CredentialFields } from "./credential-fields";
import { ConfirmDialog } from "./confirm-dialog";
import { dangerButtonClass, secondaryButtonClass } from "./ui";
import { useKeptForm } from "./use-kept-form";

/** Admins: replace or remove a repository's credential. The secret goes in and never comes back. */
export function CredentialForm({ repositoryId, transport, isSet }: { repositoryId: string; transport: "https" | "ssh"; isSet: boolean }) {
  const [setState, setAction, setting] = useActionState<CredentialState, FormData>(setCredentialAction, { error: null, saved: null });
  const setForm = useKeptForm(setState, setAction, setting);
  const [clearState, clearAction, clearing] = useActionState<CredentialState, FormData>(clearCredentialAction, { error: null, saved: null });
  const error = setState.error ?? clearState.error;
  return (
    <div className="space-y-3">
      <form {...setForm} aria-label="Repository credential" className="space-y-2">
        <input type="hidden" name="repositoryId" value={repositoryId} />
        <CredentialFields only={transport} />
        <button type="submit" disabled={setting} className={secondaryButtonClass}>
          {isSet ? (transport === "ssh" ? "Replace deploy key" : "Replace token") : transport === "ssh" ? "Set deploy key" : "Set token"}
        </button>
        {setState.saved === "set" ? <span role="status"> Saved: the next import uses it.</span> : null}
      </form>
      {isSet ? (
        <ConfirmDialog
          label="Remove credential"
          title="Remove this repository's credential?"
          description="Imports of a private source fail until a new one is set."
        >
          {(close) => (
            <form
              // The outcome ("Removed." or the refusal) shows on the page below, so the dialog closes at once.
              action={(form) => {
                clearAction(form);
                close();
              }}
              aria-label="Remove credential"
            >
              <input type="hidden" name="repositoryId" value={repositoryId} />
              <button type="submit" disabled={clearing} className={dangerButtonClass}>
                Remove it
              </button>
            </form>
          )}
        </ConfirmDialog>
      ) : null}
      {clearState.saved === "removed" ? <p role="status">Removed.</p> : null}
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

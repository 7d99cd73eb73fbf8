"use client";

import { useActionState } from "react";
import { clearCredentialAction, setCredentialAction, type CredentialState } from "@/lib/actions/credentials";
import { CredentialFields } from "./credential-fields";
import { secondaryButtonClass } from "./ui";

/** Admins: replace or remove a repository's credential. The secret goes in and never comes back. */
export function CredentialForm({ repositoryId, transport, isSet }: { repositoryId: string; transport: "https" | "ssh"; isSet: boolean }) {
  const [setState, setAction, setting] = useActionState<CredentialState, FormData>(setCredentialAction, { error: null, saved: null });
  const [clearState, clearAction, clearing] = useActionState<CredentialState, FormData>(clearCredentialAction, { error: null, saved: null });
  const error = setState.error ?? clearState.error;
  return (
    <div className="space-y-3">
      <form action={setAction} aria-label="Repository credential" className="space-y-2">
        <input type="hidden" name="repositoryId" value={repositoryId} />
        <CredentialFields only={transport} />
        <button type="submit" disabled={setting} className={secondaryButtonClass}>
          {isSet ? (transport === "ssh" ? "Replace deploy key" : "Replace token") : transport === "ssh" ? "Set deploy key" : "Set token"}
        </button>
        {setState.saved === "set" ? <span role="status"> Saved: the next import uses it.</span> : null}
      </form>
      {isSet ? (
        <form action={clearAction} aria-label="Remove credential">
          <input type="hidden" name="repositoryId" value={repositoryId} />
          <button type="submit" disabled={clearing} className={secondaryButtonClass}>
            Remove credential
          </button>
        </form>
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

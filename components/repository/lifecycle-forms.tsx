"use client";

import { useActionState, useState } from "react";
import { archiveRepositoryAction, deleteRepositoryAction, editSourceAction, type LifecycleState } from "@/lib/actions/repositories";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { buttonClass, dangerButtonClass, inputClass, secondaryButtonClass } from "@/components/ui";
import { useKeptForm } from "../use-kept-form";

/**
 * Archive or unarchive, confirmed in a dialog that closes once it is done; the button is
 * disabled while the request runs, so a double-click is one request.
 */
export function ArchiveRepositoryForm({ repositoryId, archived }: { repositoryId: string; archived: boolean }) {
  const verb = archived ? "Unarchive" : "Archive";
  return (
    <ConfirmDialog
      label={verb}
      title={`${verb} this repository?`}
      description={
        archived ? "It comes back to the lists and the dashboard." : "It leaves the lists and the dashboard; its history is kept and it can be unarchived."
      }
    >
      {(close) => <ArchiveForm repositoryId={repositoryId} archived={archived} onDone={close} />}
    </ConfirmDialog>
  );
}

function ArchiveForm({ repositoryId, archived, onDone }: { repositoryId: string; archived: boolean; onDone: () => void }) {
  const [state, action, pending] = useActionState<LifecycleState, FormData>(
    async (previous, form) => {
      const next = await archiveRepositoryAction(previous, form);
      if (!next.error) onDone();
      return next;
    },
    { error: null },
  );
  const form = useKeptForm(state, action, pending);
  return (
    <form {...form} className="space-y-2 text-sm" aria-label={archived ? "Unarchive repository" : "Archive repository"}>
      <input type="hidden" name="repositoryId" value={repositoryId} />
      <input type="hidden" name="archived" value={archived ? "false" : "true"} />
      <button type="submit" disabled={pending} className={buttonClass}>
        {archived ? "Unarchive repository" : "Archive repository"}
      </button>
      {state.error ? (
        <p role="alert" className="text-red-700">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}

/** Admins: delete, in a dialog, with the name typed to confirm; the button stays disabled until it matches. */
export function DeleteRepositoryForm({ repositoryId, name }: { repositoryId: string; name: string }) {
  return (
    <ConfirmDialog
      label="Delete…"
      title="Delete this repository?"
      description="It and its failed imports are removed; the deletion is recorded in the audit log."
      buttonClassName={dangerButtonClass}
    >
      {() => <DeleteForm repositoryId={repositoryId} name={name} />}
    </ConfirmDialog>
  );
}

function DeleteForm({ repositoryId, name }: { repositoryId: string; name: string }) {
  const [state, action, pending] = useActionState<LifecycleState, FormData>(deleteRepositoryAction, { error: null });
  const form = useKeptForm(state, action, pending);
  const [typed, setTyped] = useState("");
  return (
    <form {...form} className="space-y-2 text-sm" aria-label="Delete repository">
      <input type="hidden" name="repositoryId" value={repositoryId} />
      <label className="block">
        Type <code className="font-mono">{name}</code> to delete it and its failed imports (recorded in the audit log)
        <input
          name="confirmName"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          autoComplete="off"
          maxLength={200}
          className={`mt-1 ${inputClass}`}
        />
      </label>
      <button type="submit" disabled={pending || typed !== name} className={dangerButtonClass}>
        Delete repository
      </button>
      {state.error ? (
        <p role="alert" className="text-red-700">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}

/** Fix a typo'd source: saving it queues a new import. */
export function EditSourceForm({ repositoryId, source }: { repositoryId: string; source: string }) {
  const [state, action, pending] = useActionState<LifecycleState, FormData>(editSourceAction, { error: null });
  const form = useKeptForm(state, action, pending);
  return (
    <form {...form} className="space-y-2 text-sm" aria-label="Edit source">
      <input type="hidden" name="repositoryId" value={repositoryId} />
      <label className="block">
        Source (a git URL, or a path on the server)
        <input name="source" defaultValue={source} required maxLength={2000} autoComplete="off" className={`mt-1 font-mono ${inputClass}`} />
      </label>
      <button type="submit" disabled={pending} className={secondaryButtonClass}>
        Save and import again
      </button>
      {state.error ? (
        <p role="alert" className="text-red-700">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}

"use client";

import { useActionState } from "react";
import { addMemberAction, createTeamAction, setHandleAction, setRoleAction, type ActionState } from "@/lib/actions/teams";
import { buttonClass, inputClass, secondaryButtonClass } from "./ui";
import { useKeptForm } from "./use-kept-form";

function ErrorLine({ state }: { state: ActionState }) {
  return state.error ? (
    <p role="alert" className="mt-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
      {state.error}
    </p>
  ) : null;
}

export function CreateTeamForm() {
  const [state, action, pending] = useActionState(createTeamAction, { error: null });
  const form = useKeptForm(state, action, pending);
  return (
    <form {...form} aria-label="Create team">
      <div className="grid gap-2 md:grid-cols-[1fr_1fr_auto] md:items-end">
        <label className="text-sm font-medium">
          Team (as in CODEOWNERS)
          <input name="slug" required maxLength={141} placeholder="@acme/payments" className={`mt-1 ${inputClass}`} />
        </label>
        <label className="text-sm font-medium">
          Name <span className="font-normal text-slate-500">(optional)</span>
          <input name="name" maxLength={100} placeholder="Payments" className={`mt-1 ${inputClass}`} />
        </label>
        <button type="submit" disabled={pending} className={buttonClass}>
          Create team
        </button>
      </div>
      <ErrorLine state={state} />
    </form>
  );
}

export function AddMemberForm({ teamId, slug }: { teamId: string; slug: string }) {
  const [state, action, pending] = useActionState(addMemberAction, { error: null });
  const form = useKeptForm(state, action, pending);
  return (
    <form {...form} aria-label={`Add member to ${slug}`} className="mt-2">
      <input type="hidden" name="teamId" value={teamId} />
      <div className="flex gap-2">
        <input name="email" type="email" required maxLength={320} placeholder="email of a user" aria-label={`Email to add to ${slug}`} className={inputClass} />
        <button type="submit" disabled={pending} className={secondaryButtonClass}>
          Add
        </button>
      </div>
      <ErrorLine state={state} />
    </form>
  );
}

export function RoleForm({ userId, role, email }: { userId: string; role: string; email: string }) {
  const [state, action, pending] = useActionState(setRoleAction, { error: null });
  const form = useKeptForm(state, action, pending);
  return (
    <form {...form} aria-label={`Change role of ${email}`} className="flex items-center gap-2">
      <input type="hidden" name="userId" value={userId} />
      <select name="role" defaultValue={role} aria-label={`Role of ${email}`} className={`${inputClass} w-36`}>
        {["admin", "maintainer", "reviewer", "viewer"].map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <button type="submit" disabled={pending} className={secondaryButtonClass}>
        Save
      </button>
      {state.saved && !pending ? (
        <span role="status" className="text-xs text-emerald-700">
          Saved
        </span>
      ) : null}
      <ErrorLine state={state} />
    </form>
  );
}

export function HandleForm({ userId, handle, email }: { userId: string; handle: string | null; email: string }) {
  const [state, action, pending] = useActionState(setHandleAction, { error: null });
  const form = useKeptForm(state, action, pending);
  return (
    <form {...form} aria-label={`Change handle of ${email}`} className="flex items-center gap-2">
      <input type="hidden" name="userId" value={userId} />
      <input
        name="handle"
        defaultValue={handle ? `@${handle}` : ""}
        placeholder="@login"
        aria-label={`Handle of ${email}`}
        className={`${inputClass} w-36 font-mono`}
      />
      <button type="submit" disabled={pending} className={secondaryButtonClass}>
        Save
      </button>
      {state.saved && !pending ? (
        <span role="status" className="text-xs text-emerald-700">
          Saved
        </span>
      ) : null}
      <ErrorLine state={state} />
    </form>
  );
}

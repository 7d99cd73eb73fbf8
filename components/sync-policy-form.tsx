"use client";

import { useActionState } from "react";
import { setSyncPolicyAction, type SyncPolicyState } from "@/lib/actions/repositories";
import { inputClass, secondaryButtonClass } from "./ui";
import { useKeptForm } from "./use-kept-form";

const CHOICES: { value: string; label: string }[] = [
  { value: "5", label: "every 5 minutes" },
  { value: "10", label: "every 10 minutes" },
  { value: "30", label: "every 30 minutes" },
  { value: "60", label: "every hour" },
  { value: "360", label: "every 6 hours" },
  { value: "1440", label: "every day" },
  { value: "never", label: "never (re-scan by hand or webhook)" },
];

/** Admins: how often the server fetches this repository on its own. */
export function SyncPolicyForm({ repositoryId, intervalMinutes }: { repositoryId: string; intervalMinutes: number | null }) {
  const [state, action, pending] = useActionState<SyncPolicyState, FormData>(setSyncPolicyAction, { error: null, saved: false });
  const form = useKeptForm(state, action, pending);
  const current = intervalMinutes === null ? "never" : String(intervalMinutes);
  const choices = CHOICES.some((c) => c.value === current) ? CHOICES : [{ value: current, label: `every ${current} minutes` }, ...CHOICES];
  return (
    <form {...form} aria-label="Sync schedule" className="flex flex-wrap items-center gap-2 text-sm">
      <input type="hidden" name="repositoryId" value={repositoryId} />
      <label htmlFor="syncIntervalMinutes">Fetch</label>
      <select id="syncIntervalMinutes" name="syncIntervalMinutes" defaultValue={current} className={`w-auto ${inputClass}`}>
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      <button type="submit" disabled={pending} className={secondaryButtonClass}>
        Save
      </button>
      {state.saved ? <span role="status">Saved.</span> : null}
      {state.error ? (
        <span role="alert" className="text-red-700">
          {state.error}
        </span>
      ) : null}
    </form>
  );
}

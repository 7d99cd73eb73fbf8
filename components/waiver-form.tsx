"use client";

import { useActionState } from "react";
import { createWaiverAction, type WaiverActionState } from "@/lib/actions/deployments";
import { buttonClass, inputClass } from "./ui";
import { useKeptForm } from "./use-kept-form";

const DURATIONS: [number, string][] = [
  [1, "1 hour"],
  [4, "4 hours"],
  [24, "1 day"],
  [72, "3 days"],
  [168, "7 days"],
  [720, "30 days"],
];

/** Break-glass: let one version of a service through can-i-deploy for one environment (admins). */
export function WaiverForm() {
  const [state, action, pending] = useActionState<WaiverActionState, FormData>(createWaiverAction, { error: null });
  const form = useKeptForm(state, action, pending);
  return (
    <form {...form} aria-label="Record a waiver" className="space-y-3">
      <div className="grid gap-3 md:grid-cols-4">
        <label className="text-sm font-medium">
          Service
          <input name="service" required maxLength={200} className={`mt-1 ${inputClass}`} />
        </label>
        <label className="text-sm font-medium">
          Version
          <input name="version" required maxLength={200} className={`mt-1 ${inputClass}`} />
        </label>
        <label className="text-sm font-medium">
          Environment
          <input name="environment" required maxLength={200} placeholder="production" className={`mt-1 ${inputClass}`} />
        </label>
        <label className="text-sm font-medium">
          Lasts
          <select name="expiresInHours" defaultValue={24} className={`mt-1 ${inputClass}`}>
            {DURATIONS.map(([hours, label]) => (
              <option key={hours} value={hours}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label className="block text-sm font-medium">
        Reason (shown on every answer the waiver changes)
        <textarea name="reason" required minLength={10} maxLength={2000} rows={2} className={`mt-1 ${inputClass}`} />
      </label>
      <button type="submit" disabled={pending} className={buttonClass}>
        Record waiver
      </button>
      {state.error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {state.error}
        </p>
      ) : state.created ? (
        <p role="status" className="text-sm text-emerald-800">
          Waiver {state.created} recorded.
        </p>
      ) : null}
    </form>
  );
}

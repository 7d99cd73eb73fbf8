"use client";

import { useActionState } from "react";
import {
  createSubscriptionAction,
  deleteSubscriptionAction,
  redeliverAction,
  setSubscriptionEnabledAction,
  type SimpleState,
  type SubscriptionFormState,
} from "@/lib/actions/notifications";
import { NOTIFICATION_EVENTS } from "@/lib/notifications/types";
import { buttonClass, inputClass } from "./ui";
import { useKeptForm } from "./use-kept-form";

type Option = { id: string; label: string };

export function CreateSubscriptionForm({
  workspace,
  ownTeams,
  teams,
  repositories,
}: {
  workspace: boolean;
  ownTeams: Option[];
  teams: Option[];
  repositories: Option[];
}) {
  const [state, action, pending] = useActionState<SubscriptionFormState, FormData>(createSubscriptionAction, { error: null });
  const form = useKeptForm(state, action, pending);
  return (
    <div className="space-y-4">
      {state.secret ? (
        <div role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm">
          <p className="font-medium text-emerald-900">Subscribed {state.url}. Copy the signing secret now: it is not shown again.</p>
          <code data-testid="new-secret" className="mt-2 block select-all break-all rounded bg-white px-2 py-1 font-mono">
            {state.secret}
          </code>
        </div>
      ) : null}
      <form {...form} aria-label="Create subscription" className="space-y-3">
        <div className="grid gap-3 md:grid-cols-[3fr_1fr_1fr]">
          <label className="text-sm font-medium">
            URL (https)
            <input name="url" type="url" required maxLength={2000} placeholder="https://hooks.example.com/specledger" className={`mt-1 ${inputClass}`} />
          </label>
          <label className="text-sm font-medium">
            Format
            <select name="format" className={`mt-1 ${inputClass}`} defaultValue="standard">
              <option value="standard">Standard Webhooks JSON</option>
              <option value="slack">Slack-compatible text</option>
            </select>
          </label>
          <label className="text-sm font-medium">
            Owned by
            <select name="teamId" className={`mt-1 ${inputClass}`} defaultValue={workspace ? "" : ownTeams[0]?.id}>
              {workspace ? <option value="">The workspace</option> : null}
              {ownTeams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        <fieldset className="text-sm">
          <legend className="font-medium">Events</legend>
          <div className="mt-1 grid gap-1 md:grid-cols-4">
            {NOTIFICATION_EVENTS.map((e) => (
              <label key={e} className="flex items-center gap-2">
                <input type="checkbox" name="events" value={e} /> <span className="font-mono text-xs">{e}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="grid gap-3 md:grid-cols-3">
          <label className="text-sm font-medium">
            Only repository
            <select name="repositoryId" className={`mt-1 ${inputClass}`} defaultValue="">
              <option value="">Any</option>
              {repositories.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.label}
                </option>
              ))}
            </select>
          </label>
          <label className="text-sm font-medium">
            Only spec paths matching (glob)
            <input name="pathGlob" maxLength={500} placeholder="specs/payments/**" className={`mt-1 ${inputClass}`} />
          </label>
          <label className="text-sm font-medium">
            Only specs owned by team
            <select name="filterTeamId" className={`mt-1 ${inputClass}`} defaultValue="">
              <option value="">Any</option>
              {teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        <button type="submit" disabled={pending} className={buttonClass}>
          Subscribe
        </button>
        {state.error ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {state.error}
          </p>
        ) : null}
      </form>
    </div>
  );
}

function SmallForm({
  action,
  fields,
  label,
  ariaLabel,
  danger,
}: {
  action: (prev: SimpleState, form: FormData) => Promise<SimpleState>;
  fields: Record<string, string>;
  label: string;
  ariaLabel: string;
  danger?: boolean;
}) {
  const [state, formAction, pending] = useActionState<SimpleState, FormData>(action, { error: null });
  const form = useKeptForm(state, formAction, pending);
  return (
    <form {...form} className="inline">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" disabled={pending} className={`text-xs hover:underline ${danger ? "text-red-700" : "text-sky-700"}`} aria-label={ariaLabel}>
        {label}
      </button>
      {state.error ? (
        <p role="alert" className="mt-1 text-xs text-red-700">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}

/** Enable or disable, and delete, one subscription. */
export function SubscriptionControls({ id, enabled, url }: { id: string; enabled: boolean; url: string }) {
  return (
    <span className="flex justify-end gap-3">
      <SmallForm
        action={setSubscriptionEnabledAction}
        fields={{ id, enabled: String(!enabled) }}
        label={enabled ? "Disable" : "Enable"}
        ariaLabel={`${enabled ? "Disable" : "Enable"} ${url}`}
      />
      <SmallForm action={deleteSubscriptionAction} fields={{ id }} label="Delete" ariaLabel={`Delete ${url}`} danger />
    </span>
  );
}

/** Sends one event to the subscription again. */
export function RedeliverButton({ id, eventId }: { id: string; eventId: string }) {
  return <SmallForm action={redeliverAction} fields={{ id, eventId }} label="Redeliver" ariaLabel={`Redeliver ${eventId}`} />;
}

"use client";

import { useActionState } from "react";
import { createTokenAction, revokeTokenAction, type RevokeTokenState, type TokenActionState } from "@/lib/actions/tokens";
import { buttonClass, inputClass } from "./ui";

const SCOPES: { value: string; label: string }[] = [
  { value: "specs:read", label: "specs:read: read specs, reviews, runs and deployments" },
  { value: "specs:propose", label: "specs:propose: propose changes" },
  { value: "runs:write", label: "runs:write: report agent runs" },
  { value: "deployments:write", label: "deployments:write: record deployments" },
  { value: "checks:write", label: "checks:write: run pull-request checks (specledger check), nothing else" },
  { value: "repositories:sync", label: "repositories:sync: trigger a repository sync, nothing else" },
  { value: "admin", label: "admin: everything your role allows" },
];

export function CreateTokenForm() {
  const [state, action, pending] = useActionState<TokenActionState, FormData>(createTokenAction, { error: null });
  return (
    <div className="space-y-4">
      {state.token ? (
        <div role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm">
          <p className="font-medium text-emerald-900">Token “{state.name}” created. Copy it now: it is not shown again.</p>
          <code data-testid="new-token" className="mt-2 block select-all break-all rounded bg-white px-2 py-1 font-mono">
            {state.token}
          </code>
        </div>
      ) : null}
      <form action={action} aria-label="Create token" className="space-y-3">
        <div className="grid gap-3 md:grid-cols-[2fr_1fr]">
          <label className="text-sm font-medium">
            Name
            <input name="name" required maxLength={100} placeholder="payments CI" className={`mt-1 ${inputClass}`} />
          </label>
          <label className="text-sm font-medium">
            Expires in (days, at most 365)
            <input name="expiresInDays" type="number" min={1} max={365} defaultValue={90} required className={`mt-1 ${inputClass}`} />
          </label>
        </div>
        <fieldset className="text-sm">
          <legend className="font-medium">Scopes</legend>
          <div className="mt-1 grid gap-1 md:grid-cols-2">
            {SCOPES.map((s) => (
              <label key={s.value} className="flex items-center gap-2">
                <input type="checkbox" name="scopes" value={s.value} /> <span className="font-mono text-xs">{s.label}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <button type="submit" disabled={pending} className={buttonClass}>
          Create token
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

/** The revoke button of one token row, with the refusal shown in place. */
export function RevokeTokenForm({ tokenId, name }: { tokenId: string; name: string }) {
  const [state, action, pending] = useActionState<RevokeTokenState, FormData>(revokeTokenAction, { error: null });
  return (
    <form action={action}>
      <input type="hidden" name="tokenId" value={tokenId} />
      <button type="submit" disabled={pending} className="text-xs text-red-700 hover:underline" aria-label={`Revoke ${name}`}>
        Revoke
      </button>
      {state.error ? (
        <p role="alert" className="mt-1 text-xs text-red-700">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}

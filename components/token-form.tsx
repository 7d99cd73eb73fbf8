"use client";

import { useActionState } from "react";
import { createTokenAction, revokeTokenAction, type RevokeTokenState, type TokenActionState } from "@/lib/actions/tokens";
import type { TokenScope } from "@/lib/auth/permissions";
import { cliLoginCommand, SCOPE_LABELS } from "@/lib/tokens/scopes";
import { CopyButton } from "./copy-button";
import { ConfirmDialog } from "./confirm-dialog";
import { buttonClass, dangerButtonClass, inputClass } from "./ui";
import { useKeptForm } from "./use-kept-form";

/** The token form, offering only `scopes` (those the viewer's role can use); `server` is the URL the CLI logs in to. */
export function CreateTokenForm({ scopes, server }: { scopes: TokenScope[]; server: string }) {
  const [state, action, pending] = useActionState<TokenActionState, FormData>(createTokenAction, { error: null });
  const form = useKeptForm(state, action, pending);
  return (
    <div className="space-y-4">
      {state.token ? (
        <div role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm">
          <p className="font-medium text-emerald-900">Token “{state.name}” created. Copy it now: it is not shown again.</p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code data-testid="new-token" className="min-w-0 flex-1 select-all break-all rounded bg-white px-2 py-1 font-mono">
              {state.token}
            </code>
            <CopyButton text={state.token} label="Copy the token" />
          </div>
          <p className="mt-3 text-emerald-900">Log the CLI in with it:</p>
          <div className="mt-1 flex flex-wrap items-center gap-2">
            <code data-testid="login-command" className="min-w-0 flex-1 select-all break-all rounded bg-white px-2 py-1 font-mono text-xs">
              {cliLoginCommand(server, state.token)}
            </code>
            <CopyButton text={cliLoginCommand(server, state.token)} label="Copy the login command" />
          </div>
          <p className="mt-1 text-xs text-emerald-900">
            Or leave <code>--token</code> out and paste the token when asked, to keep it out of your shell history. In CI, set <code>SPECLEDGER_URL</code> and{" "}
            <code>SPECLEDGER_TOKEN</code> instead.
          </p>
        </div>
      ) : null}
      <form {...form} aria-label="Create token" className="space-y-3">
        <div className="grid gap-3 md:grid-cols-[2fr_1fr]">
          <label className="text-sm font-medium">
            Name <span className="font-normal text-slate-500">(up to 100 characters)</span>
            <input name="name" required maxLength={100} placeholder="payments CI" className={`mt-1 ${inputClass}`} />
          </label>
          <label className="text-sm font-medium">
            Expires in (days, at most 365)
            <input name="expiresInDays" type="number" min={1} max={365} defaultValue={90} required className={`mt-1 ${inputClass}`} />
          </label>
        </div>
        <fieldset className="text-sm">
          <legend className="font-medium">Scopes</legend>
          <p className="text-xs text-slate-500">Only the scopes your role can use are offered.</p>
          <div className="mt-1 grid gap-1 md:grid-cols-2">
            {scopes.map((scope) => (
              <label key={scope} className="flex items-center gap-2">
                <input type="checkbox" name="scopes" value={scope} />{" "}
                <span className="text-xs">
                  <span className="font-mono">{scope}</span>: {SCOPE_LABELS[scope]}
                </span>
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

/** The revoke button of one token row: confirmed in a dialog, with the refusal shown in place. */
export function RevokeTokenForm({ tokenId, name }: { tokenId: string; name: string }) {
  return (
    <ConfirmDialog
      label="Revoke"
      name={`Revoke ${name}`}
      title={`Revoke “${name}”?`}
      description="Anything still using it (a CI job, a laptop's CLI) is refused from now on. This cannot be undone."
      buttonClassName="text-xs text-red-700 hover:underline"
    >
      {(close) => <RevokeForm tokenId={tokenId} onDone={close} />}
    </ConfirmDialog>
  );
}

function RevokeForm({ tokenId, onDone }: { tokenId: string; onDone: () => void }) {
  const [state, action, pending] = useActionState<RevokeTokenState, FormData>(
    async (previous, form) => {
      const next = await revokeTokenAction(previous, form);
      if (!next.error) onDone();
      return next;
    },
    { error: null },
  );
  const form = useKeptForm(state, action, pending);
  return (
    <form {...form} className="text-left text-sm">
      <input type="hidden" name="tokenId" value={tokenId} />
      <button type="submit" disabled={pending} className={dangerButtonClass}>
        Revoke token
      </button>
      {state.error ? (
        <p role="alert" className="mt-1 text-red-700">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}

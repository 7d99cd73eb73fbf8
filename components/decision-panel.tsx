"use client";

import { useActionState, useState, type FormEvent } from "react";
import { decideAction, type ReviewActionState } from "@/lib/actions/changes";
import { buttonClass, inputClass, secondaryButtonClass } from "./ui";
import { useKeptForm } from "./use-kept-form";

type Abilities = { decide: boolean; approve: boolean; override: boolean; comment: boolean };

/**
 * The decision buttons. Every decision carries the hash of the content shown on the page, so
 * the server refuses it if a newer revision arrived in the meantime.
 */
export function DecisionPanel({ number, contentHash, can }: { number: number; contentHash: string; can: Abilities }) {
  const [state, action, pending] = useActionState<ReviewActionState, FormData>(decideAction, { error: null });
  const [body, setBody] = useState("");
  const [missing, setMissing] = useState<string | null>(null);
  // A recorded decision empties the comment box (adjusting state while rendering, as React
  // recommends over an effect); an error keeps the text so it can be sent again.
  const [seen, setSeen] = useState(state);
  if (state !== seen) {
    setSeen(state);
    if (state.saved) setBody("");
  }

  function check(event: FormEvent<HTMLFormElement>) {
    const kind = ((event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null)?.value;
    if ((kind === "request_changes" || kind === "comment") && body.trim() === "") {
      setMissing(kind === "request_changes" ? "Say what should change: a request for changes needs a comment." : "A comment needs some text.");
      return false;
    }
    setMissing(null);
    return true;
  }
  const form = useKeptForm(state, action, pending, check);

  return (
    <div className="space-y-4">
      <form {...form} aria-label="Review" className="space-y-2">
        <input type="hidden" name="number" value={number} />
        <input type="hidden" name="contentHash" value={contentHash} />
        <label className="block text-sm font-medium">
          Comment <span className="font-normal text-slate-500">(needed to request changes)</span>
          <textarea
            name="body"
            rows={3}
            maxLength={10_000}
            value={body}
            onChange={(e) => setBody(e.target.value)}
            aria-invalid={missing ? true : undefined}
            aria-describedby={missing ? "review-missing" : undefined}
            className={`mt-1 ${inputClass}`}
          />
        </label>
        {missing ? (
          <p id="review-missing" role="alert" className="text-sm text-red-700">
            {missing}
          </p>
        ) : null}
        {can.approve ? (
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="breaking" /> Breaking change: refuse deployments still built on the content this replaces
          </label>
        ) : null}
        <div className="flex flex-wrap gap-2">
          {can.approve ? (
            <button type="submit" name="kind" value="approve" disabled={pending} className={buttonClass}>
              Approve
            </button>
          ) : null}
          {can.decide ? (
            <>
              <button type="submit" name="kind" value="request_changes" disabled={pending} className={secondaryButtonClass}>
                Request changes
              </button>
              <button type="submit" name="kind" value="reject" disabled={pending} className={`${secondaryButtonClass} text-red-700`}>
                Reject
              </button>
            </>
          ) : null}
          {can.comment ? (
            <button type="submit" name="kind" value="comment" disabled={pending} className={secondaryButtonClass}>
              Comment
            </button>
          ) : null}
        </div>
        {state.error ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {state.error}{" "}
            {state.currentHash ? (
              <a href={`/changes/${number}`} className="underline">
                Reload the change
              </a>
            ) : null}
          </p>
        ) : state.saved ? (
          <p role="status" className="text-sm text-emerald-700">
            Recorded.
          </p>
        ) : null}
      </form>
      {can.override ? <OverrideForm number={number} contentHash={contentHash} /> : null}
    </div>
  );
}

function OverrideForm({ number, contentHash }: { number: number; contentHash: string }) {
  const [state, action, pending] = useActionState<ReviewActionState, FormData>(decideAction, { error: null });
  const form = useKeptForm(state, action, pending);
  return (
    <details className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
      <summary className="cursor-pointer font-medium text-amber-900">Admin override</summary>
      <form {...form} aria-label="Admin override" className="mt-2 space-y-2">
        <p className="text-amber-900">
          Approves this content whatever the policy says. The reason is recorded in the audit log and shown on the version forever.
        </p>
        <input type="hidden" name="number" value={number} />
        <input type="hidden" name="contentHash" value={contentHash} />
        <input type="hidden" name="kind" value="override" />
        <label className="block font-medium">
          Reason
          <textarea name="body" required minLength={10} rows={2} className={`mt-1 ${inputClass}`} />
        </label>
        <button type="submit" disabled={pending} className={buttonClass}>
          Override and approve
        </button>
        {state.error ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-700">
            {state.error}
          </p>
        ) : null}
      </form>
    </details>
  );
}

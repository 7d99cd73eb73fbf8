"use client";

import { useActionState, useDeferredValue, useMemo, useState } from "react";
import { proposeAction, reviseAction, type ReviewActionState } from "@/lib/actions/changes";
import { diffTexts } from "@/lib/specs/diff";
import { DiffView } from "./diff-view";
import { buttonClass, inputClass } from "./ui";
import { useKeptForm } from "./use-kept-form";

/**
 * The proposal editor: the spec's text on the left, a live diff against the version it
 * changes on the right. Propose opens a change; revise uploads a new revision of one.
 */
export function ProposalEditor(props: { mode: "propose" | "revise"; specId?: string; number?: number; path: string; baseText: string; initialText: string }) {
  const [state, action, pending] = useActionState<ReviewActionState, FormData>(props.mode === "propose" ? proposeAction : reviseAction, { error: null });
  const form = useKeptForm(state, action, pending);
  const [content, setContent] = useState(props.initialText);
  const deferred = useDeferredValue(content);
  const diff = useMemo(
    () => diffTexts({ oldText: props.baseText, newText: deferred, oldLabel: props.path, newLabel: props.path, timeoutMs: 300 }),
    [props.baseText, props.path, deferred],
  );
  return (
    <form {...form} aria-label={props.mode === "propose" ? "Propose a change" : "Upload a revision"} className="space-y-4">
      {props.specId ? <input type="hidden" name="specId" value={props.specId} /> : null}
      {props.number ? <input type="hidden" name="number" value={props.number} /> : null}
      {props.mode === "propose" ? (
        <div className="grid gap-3 md:grid-cols-2">
          <label className="text-sm font-medium">
            Title
            <input name="title" required maxLength={200} placeholder="What changes, in a few words" className={`mt-1 ${inputClass}`} />
          </label>
          <label className="text-sm font-medium">
            Why <span className="font-normal text-slate-500">(optional)</span>
            <input name="description" maxLength={10_000} placeholder="The reason reviewers should know" className={`mt-1 ${inputClass}`} />
          </label>
        </div>
      ) : null}
      <div className="grid gap-4 lg:grid-cols-2">
        <label className="text-sm font-medium">
          <span className="font-mono">{props.path}</span>
          <textarea
            name="content"
            value={content}
            onChange={(e) => setContent(e.target.value)}
            spellCheck={false}
            rows={28}
            className={`mt-1 font-mono text-xs ${inputClass}`}
          />
        </label>
        <div className="min-w-0 text-sm">
          <div className="mb-1 font-medium">Changes against the current version</div>
          <div data-testid="live-diff" aria-live="polite">
            <DiffView diff={diff} mode="unified" />
          </div>
        </div>
      </div>
      {state.error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {state.error}
        </p>
      ) : null}
      <button type="submit" disabled={pending || diff.status === "identical"} className={buttonClass}>
        {pending ? "Saving…" : props.mode === "propose" ? "Propose change" : "Upload revision"}
      </button>
    </form>
  );
}

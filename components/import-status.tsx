"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { rescanRepositoryAction } from "@/lib/actions/repositories";
import { describeImportCounts } from "@/lib/specs/import-summary";
import { buttonClass } from "./ui";

export interface ImportSnapshot {
  id: string;
  status: "queued" | "running" | "succeeded" | "failed";
  phase: string;
  progressDone: number;
  progressTotal: number;
  error: string | null;
  warning: string | null;
  commitsScanned: number | null;
  commitsWithSpecChanges: number;
  /** A step after the import committed failed (findings, audit): the import itself succeeded. */
  followUpError: string | null;
  versionsAdded: number;
  specsAdded: number;
  filesSkipped: number;
}

const PHASES: Record<string, string> = {
  queued: "Waiting in the queue",
  resolving: "Opening the repository",
  scanning: "Reading history",
  reading: "Reading file contents",
  writing: "Saving versions",
  done: "Done",
  failed: "Failed",
};

/** Live status of an import: polls the API while it is queued or running. */
export function ImportStatus({ initial }: { initial: ImportSnapshot }) {
  const router = useRouter();
  const [snapshot, setSnapshot] = useState(initial);
  const active = snapshot.status === "queued" || snapshot.status === "running";

  // A re-rendered page brings a newer snapshot: adopt it during render, as React advises for
  // state derived from props (an effect would render the stale one first).
  const [seen, setSeen] = useState(initial);
  if (initial !== seen) {
    setSeen(initial);
    setSnapshot(initial);
  }
  useEffect(() => {
    if (!active) return;
    let cancelled = false;
    const timer = setInterval(async () => {
      const response = await fetch(`/api/v1/imports/${snapshot.id}`, { cache: "no-store" }).catch(() => null);
      if (!response?.ok || cancelled) return;
      const next = (await response.json()) as ImportSnapshot;
      setSnapshot(next);
      if (next.status !== "queued" && next.status !== "running") router.refresh();
    }, 1000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [active, snapshot.id, router]);

  const percent = snapshot.progressTotal > 0 ? Math.min(100, Math.round((snapshot.progressDone / snapshot.progressTotal) * 100)) : 0;
  return (
    <div data-testid="import-status" data-status={snapshot.status} className="space-y-2 text-sm">
      {active ? (
        <>
          <div className="flex justify-between">
            <span className="font-medium">{PHASES[snapshot.phase] ?? snapshot.phase}…</span>
            <span className="tabular-nums text-slate-500">
              {snapshot.progressTotal > 0 ? `${snapshot.progressDone.toLocaleString("en")} / ${snapshot.progressTotal.toLocaleString("en")}` : ""}
            </span>
          </div>
          <div className="h-2 overflow-hidden rounded-full bg-slate-200" role="progressbar" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100}>
            <div className="h-full bg-sky-500 transition-all" style={{ width: `${snapshot.phase === "queued" ? 2 : percent}%` }} />
          </div>
        </>
      ) : snapshot.status === "failed" ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-700">
          Import failed: {snapshot.error}
        </p>
      ) : (
        <p className="text-slate-700">
          {/* The same figures, in the same words, as the CLI's summary. */}
          {`Imported: ${describeImportCounts(snapshot)}.`}
          {snapshot.warning ? <span className="mt-2 block rounded-md bg-amber-50 px-3 py-2 text-amber-800">{snapshot.warning}</span> : null}
          {snapshot.followUpError ? (
            <span data-testid="import-follow-up-error" className="mt-2 block rounded-md bg-amber-50 px-3 py-2 text-amber-800">
              Imported, but a follow-up step failed: {snapshot.followUpError}
            </span>
          ) : null}
        </p>
      )}
    </div>
  );
}

export function RescanButton({ repositoryId, disabled }: { repositoryId: string; disabled?: boolean }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="flex items-center gap-2">
      {error ? <span className="text-sm text-red-700">{error}</span> : null}
      <button
        type="button"
        disabled={disabled || pending}
        className={buttonClass}
        onClick={() =>
          startTransition(async () => {
            const result = await rescanRepositoryAction(repositoryId);
            setError(result.error);
            router.refresh();
          })
        }
      >
        {pending ? "Queuing…" : "Re-scan"}
      </button>
    </div>
  );
}

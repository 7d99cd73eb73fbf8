"use client";

import { Fragment, useMemo, useState, type ReactNode } from "react";
import { toHunks, toSideBySide, type DiffLine, type Rename, type SideBySideRow, type VersionDiff } from "@/lib/specs/diff";

const ROW_BG = { context: "", added: "bg-green-50", removed: "bg-red-50" } as const;
const NUMBER_BG = { context: "bg-white", added: "bg-green-100", removed: "bg-red-100" } as const;
const MARKER = { context: " ", added: "+", removed: "-" } as const;

const TABLE = "w-full min-w-[36rem] table-fixed border-collapse font-mono text-xs leading-5";
// gray-600: gray-500 falls under 4.5:1 on the green and red line backgrounds (axe, color-contrast).
const NUMBER = "select-none border-r border-gray-200 px-2 text-right align-top text-gray-600";
const MARK = "select-none px-1 text-center align-top text-gray-500";
const TEXT = "whitespace-pre-wrap break-all px-2 align-top text-gray-900";
const TOGGLE = "rounded px-2 py-0.5 text-xs font-medium focus-visible:outline-2 focus-visible:outline-sky-600";

const cx = (...classes: string[]) => classes.filter(Boolean).join(" ");

type Mode = "split" | "unified";

/**
 * Shows a version diff as GitHub-style hunks (unchanged lines collapsed until expanded), side
 * by side or unified, or says why there is none. It scrolls sideways inside its own box.
 */
export function DiffView({ diff, mode: initialMode }: { diff: VersionDiff; mode: Mode }) {
  const [mode, setMode] = useState<Mode>(initialMode);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const blocks = useMemo(() => (diff.status === "ok" ? toHunks(diff.lines) : []), [diff]);

  if (diff.status === "identical") {
    return <Notice title="No changes">The two versions are identical.</Notice>;
  }
  if (diff.status === "renamed") {
    return (
      <Notice title="Renamed without changes">
        <RenameLine rename={diff.rename} /> The content is identical.
      </Notice>
    );
  }
  if (diff.status === "too-different") {
    return (
      <Notice title="Too different to diff">
        {diff.rename ? <RenameLine rename={diff.rename} /> : null} {diff.reason} Open each version on its own to compare them.
      </Notice>
    );
  }
  const gaps = blocks.flatMap((b, i) => (b.kind === "gap" ? [i] : []));
  const hidden = gaps.filter((i) => !expanded.has(i));
  const expand = (indexes: number[]) => setExpanded((prev) => new Set([...prev, ...indexes]));

  return (
    <div className="rounded-md border border-gray-200" data-testid="diff-view" data-mode={mode}>
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-gray-200 bg-gray-50 px-3 py-1.5 text-xs text-gray-600">
        <p>
          {diff.rename ? (
            <>
              <RenameLine rename={diff.rename} />{" "}
            </>
          ) : null}
          <span className="font-medium text-green-700">+{diff.added}</span> <span className="font-medium text-red-700">−{diff.removed}</span> lines
        </p>
        <div className="flex items-center gap-1">
          {hidden.length > 1 ? (
            <button type="button" onClick={() => expand(gaps)} className={cx(TOGGLE, "text-sky-700 hover:underline")}>
              Expand all
            </button>
          ) : null}
          <div role="group" aria-label="Diff layout" className="flex rounded-md border border-gray-300 bg-white p-0.5">
            {(["split", "unified"] as const).map((m) => (
              <button
                key={m}
                type="button"
                aria-pressed={m === mode}
                onClick={() => setMode(m)}
                className={cx(TOGGLE, m === mode ? "bg-slate-800 text-white" : "text-slate-700 hover:bg-slate-100")}
              >
                {m === "split" ? "Split" : "Unified"}
              </button>
            ))}
          </div>
        </div>
      </div>
      <div className="max-w-full overflow-x-auto" tabIndex={0} role="region" aria-label="Diff lines">
        <table className={TABLE}>
          {mode === "unified" ? (
            <colgroup>
              <col className="w-12" />
              <col className="w-12" />
              <col className="w-5" />
              <col />
            </colgroup>
          ) : (
            // Fixed column widths, since a row with an empty half would otherwise set them.
            <colgroup>
              <col className="w-12" />
              <col className="w-5" />
              <col />
              <col className="w-12" />
              <col className="w-5" />
              <col />
            </colgroup>
          )}
          {blocks.map((block, i) => (
            <tbody key={i} data-block={block.kind}>
              {block.kind === "gap" && !expanded.has(i) ? (
                <tr className="bg-sky-50">
                  <td colSpan={mode === "unified" ? 4 : 6} className="px-2 py-0.5">
                    <button type="button" onClick={() => expand([i])} className={cx(TOGGLE, "text-sky-800 hover:underline")}>
                      ↕ Expand {block.lines.length} unchanged {block.lines.length === 1 ? "line" : "lines"}
                    </button>
                  </td>
                </tr>
              ) : (
                <>
                  {block.kind === "hunk" ? (
                    <tr className="bg-sky-50 text-sky-900">
                      <td colSpan={mode === "unified" ? 4 : 6} className="px-2 py-0.5 text-gray-600" data-testid="hunk-header">
                        {block.header}
                      </td>
                    </tr>
                  ) : null}
                  {mode === "unified" ? <UnifiedRows lines={block.lines} /> : <SplitRows rows={toSideBySide(block.lines)} />}
                </>
              )}
            </tbody>
          ))}
        </table>
      </div>
    </div>
  );
}

function RenameLine({ rename }: { rename: Rename }) {
  return (
    <span data-testid="rename">
      Renamed from <code className="font-mono">{rename.from}</code> to <code className="font-mono">{rename.to}</code>.
    </span>
  );
}

function UnifiedRows({ lines }: { lines: DiffLine[] }) {
  return (
    <>
      {lines.map((line, i) => (
        <tr key={i} className={ROW_BG[line.kind] || undefined} data-kind={line.kind}>
          <td className={cx(NUMBER, NUMBER_BG[line.kind])}>{line.oldNumber ?? ""}</td>
          <td className={cx(NUMBER, NUMBER_BG[line.kind])}>{line.newNumber ?? ""}</td>
          <td className={MARK} aria-hidden="true">
            {MARKER[line.kind]}
          </td>
          <td className={TEXT}>{line.text}</td>
        </tr>
      ))}
    </>
  );
}

function SplitRows({ rows }: { rows: SideBySideRow[] }) {
  return (
    <>
      {rows.map((row, i) => (
        <tr key={i}>
          <SplitCells side={row.left} />
          <SplitCells side={row.right} divider />
        </tr>
      ))}
    </>
  );
}

function SplitCells({ side, divider = false }: { side: { number: number; text: string; kind: DiffLine["kind"] } | null; divider?: boolean }) {
  const edge = divider ? "border-l border-gray-200" : "";
  // An empty half keeps its column so both sides stay aligned row by row.
  if (!side) {
    return (
      <>
        <td className={cx(NUMBER, edge, "bg-gray-50")} />
        <td className="bg-gray-50" colSpan={2} />
      </>
    );
  }
  return (
    <Fragment>
      <td className={cx(NUMBER, edge, NUMBER_BG[side.kind])}>{side.number}</td>
      <td className={cx(MARK, ROW_BG[side.kind])} aria-hidden="true">
        {MARKER[side.kind]}
      </td>
      <td className={cx(TEXT, ROW_BG[side.kind])} data-kind={side.kind}>
        {side.text}
      </td>
    </Fragment>
  );
}

function Notice({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div role="status" className="rounded-md border border-gray-200 bg-gray-50 px-4 py-3 text-sm text-gray-700">
      <p className="font-medium text-gray-900">{title}</p>
      <p className="mt-1">{children}</p>
    </div>
  );
}

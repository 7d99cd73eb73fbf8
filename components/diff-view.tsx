import type { ReactNode } from "react";
import type { DiffLine, SideBySideRow, VersionDiff } from "@/lib/specs/diff";

const ROW_BG = { context: "", added: "bg-green-50", removed: "bg-red-50" } as const;
const NUMBER_BG = { context: "bg-white", added: "bg-green-100", removed: "bg-red-100" } as const;
const MARKER = { context: " ", added: "+", removed: "-" } as const;

const TABLE = "w-full table-fixed border-collapse font-mono text-xs leading-5";
const NUMBER = "select-none border-r border-gray-200 px-2 text-right align-top text-gray-400";
const MARK = "select-none px-1 text-center align-top text-gray-400";
const TEXT = "whitespace-pre-wrap break-all px-2 align-top text-gray-900";

const cx = (...classes: string[]) => classes.filter(Boolean).join(" ");

/** Shows a version diff as a unified or side-by-side table, or says why there is none. */
export function DiffView({ diff, mode }: { diff: VersionDiff; mode: "split" | "unified" }) {
  if (diff.status === "identical") {
    return <Notice title="No changes">The two versions are identical.</Notice>;
  }
  if (diff.status === "too-different") {
    return <Notice title="Too different to diff">{diff.reason} Open each version on its own to compare them.</Notice>;
  }
  return (
    <div className="overflow-x-auto rounded-md border border-gray-200">
      <p className="border-b border-gray-200 bg-gray-50 px-3 py-1.5 text-xs text-gray-600">
        <span className="font-medium text-green-700">+{diff.added}</span> <span className="font-medium text-red-700">−{diff.removed}</span> lines
      </p>
      {mode === "unified" ? <UnifiedTable lines={diff.lines} /> : <SplitTable rows={diff.rows} />}
    </div>
  );
}

function UnifiedTable({ lines }: { lines: DiffLine[] }) {
  return (
    <table className={TABLE}>
      <colgroup>
        <col className="w-12" />
        <col className="w-12" />
        <col className="w-5" />
        <col />
      </colgroup>
      <tbody>
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
      </tbody>
    </table>
  );
}

function SplitTable({ rows }: { rows: SideBySideRow[] }) {
  return (
    <table className={TABLE}>
      {/* Fixed column widths, since a row with an empty half would otherwise set them. */}
      <colgroup>
        <col className="w-12" />
        <col className="w-5" />
        <col />
        <col className="w-12" />
        <col className="w-5" />
        <col />
      </colgroup>
      <tbody>
        {rows.map((row, i) => (
          <tr key={i}>
            <SplitCells side={row.left} />
            <SplitCells side={row.right} divider />
          </tr>
        ))}
      </tbody>
    </table>
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
    <>
      <td className={cx(NUMBER, edge, NUMBER_BG[side.kind])}>{side.number}</td>
      <td className={cx(MARK, ROW_BG[side.kind])} aria-hidden="true">
        {MARKER[side.kind]}
      </td>
      <td className={cx(TEXT, ROW_BG[side.kind])} data-kind={side.kind}>
        {side.text}
      </td>
    </>
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

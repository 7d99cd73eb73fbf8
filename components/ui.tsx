import Link from "next/link";

export function PageHeader({ title, description, actions }: { title: React.ReactNode; description?: React.ReactNode; actions?: React.ReactNode }) {
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <div className="min-w-0">
        <h1 className="break-words text-2xl font-semibold tracking-tight">{title}</h1>
        {description ? <p className="mt-1 text-sm text-slate-600">{description}</p> : null}
      </div>
      {actions ? <div className="flex flex-wrap gap-2">{actions}</div> : null}
    </div>
  );
}

export function Card({ children, className = "" }: { children: React.ReactNode; className?: string }) {
  return <section className={`rounded-lg border border-slate-200 bg-white shadow-sm ${className}`}>{children}</section>;
}

const TONES = {
  gray: "bg-slate-100 text-slate-700 ring-slate-200",
  green: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  red: "bg-red-50 text-red-700 ring-red-200",
  amber: "bg-amber-50 text-amber-800 ring-amber-200",
  blue: "bg-sky-50 text-sky-700 ring-sky-200",
  violet: "bg-violet-50 text-violet-700 ring-violet-200",
} as const;

export type Tone = keyof typeof TONES;

export function Badge({ children, tone = "gray", title }: { children: React.ReactNode; tone?: Tone; title?: string }) {
  return (
    <span title={title} className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[tone]}`}>
      {children}
    </span>
  );
}

/** A dashboard number; `detail` (e.g. "128 of 154 files") names the count its linked list shows when the value is a share. */
export function Stat({ label, value, href, detail }: { label: string; value: React.ReactNode; href?: string; detail?: React.ReactNode }) {
  const body = (
    <>
      <div className="text-sm text-slate-500">{label}</div>
      <div className="mt-1 text-3xl font-semibold tabular-nums">{value}</div>
      {detail ? <div className="mt-1 text-xs text-slate-500 tabular-nums">{detail}</div> : null}
    </>
  );
  return href ? (
    <Link href={href} className="block rounded-lg border border-slate-200 bg-white p-4 shadow-sm hover:border-sky-300">
      {body}
    </Link>
  ) : (
    <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">{body}</div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center">
      <p className="font-medium">{title}</p>
      {children ? <div className="mt-2 text-sm text-slate-600">{children}</div> : null}
    </div>
  );
}

export function RelativeTime({ date }: { date: Date | string | null | undefined }) {
  if (!date) return <span className="text-slate-500">never</span>;
  const d = new Date(date);
  return (
    <time dateTime={isoOrUndefined(d)} title={isoOrUndefined(d)}>
      {formatDate(d)}
    </time>
  );
}

/** How long ago, in the largest whole unit (days, hours, minutes), with the exact time on hover. */
export function Age({ date }: { date: Date | string | null | undefined }) {
  if (!date) return <span className="text-slate-500">—</span>;
  const d = new Date(date);
  // A server component, rendered once per request: the age is as of the request.
  // eslint-disable-next-line react-hooks/purity
  const minutes = Math.max(0, Math.floor((Date.now() - d.getTime()) / 60_000));
  const [n, unit] = minutes >= 1440 ? [Math.floor(minutes / 1440), "day"] : minutes >= 60 ? [Math.floor(minutes / 60), "hour"] : [minutes, "minute"];
  return (
    <time dateTime={isoOrUndefined(d)} title={formatDate(d)} className="whitespace-nowrap">
      {n} {unit}
      {n === 1 ? "" : "s"}
    </time>
  );
}

/** "2026-11-24 12:00 UTC"; a stored time JavaScript cannot represent shows as "unknown time" instead of breaking the page. */
export function formatDate(d: Date): string {
  if (Number.isNaN(d.getTime())) return "unknown time";
  return d.toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

/** ISO 8601 for a dateTime attribute, or undefined for an invalid Date (toISOString would throw). */
function isoOrUndefined(d: Date): string | undefined {
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export const buttonClass =
  "inline-flex items-center gap-1 rounded-md bg-sky-700 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-sky-800 disabled:cursor-not-allowed disabled:opacity-50";
export const secondaryButtonClass =
  "inline-flex items-center gap-1 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 disabled:opacity-50";
export const dangerButtonClass =
  "inline-flex items-center gap-1 rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-red-800 disabled:cursor-not-allowed disabled:opacity-50";
export const inputClass =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-sm focus:border-sky-500 focus:outline-none focus:ring-1 focus:ring-sky-500";

export type Column = string | { label: string; align: "right" };

export type SelectOption = string | { value: string; label: React.ReactNode };

/** A labelled select of a filter form (submitted as a GET query); options as values or { value, label }. */
export function FilterSelect({ label, name, value, options }: { label: string; name: string; value: string; options: SelectOption[] }) {
  return (
    <label className="text-sm font-medium">
      {label}
      <select name={name} defaultValue={value} className={`mt-1 ${inputClass}`}>
        {options.map((option) => {
          const { value: optionValue, label: optionLabel } = typeof option === "string" ? { value: option, label: option } : option;
          return (
            <option key={optionValue} value={optionValue}>
              {optionLabel}
            </option>
          );
        })}
      </select>
    </label>
  );
}

/** The owner filter's choices: anyone, nobody, or one owner (a handle or team). */
export const ownerOptions = (owners: string[]): SelectOption[] => [{ value: "", label: "Anyone" }, { value: "unowned", label: "Unowned" }, ...owners];

/** The list table every page uses: a header row from `columns`, the rows as children. */
export function Table({ columns, children, className = "", testId }: { columns: Column[]; children: React.ReactNode; className?: string; testId?: string }) {
  return (
    // On a narrow screen the table scrolls inside its own box, never the page; focusable so keyboards can scroll it.
    <div className="max-w-full overflow-x-auto" tabIndex={0} role="region" aria-label={testId ? `${testId} table` : "Table"}>
      <table className={`w-full text-left text-sm ${className}`} data-testid={testId}>
        <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
          <tr>
            {columns.map((column) => {
              const label = typeof column === "string" ? column : column.label;
              return (
                <th key={label} className={`px-4 py-2 ${typeof column === "string" ? "" : "text-right"}`}>
                  {label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

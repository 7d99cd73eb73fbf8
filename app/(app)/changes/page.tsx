import Link from "next/link";
import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { countAwaitingReview, listChanges, QUEUES } from "@/lib/reviews";
import { listRepositories } from "@/lib/specs/queries";
import { ReviewStateBadge } from "@/components/status";
import { Badge, Card, EmptyState, FilterSelect, PageHeader, RelativeTime, Table, buttonClass } from "@/components/ui";

export const metadata = { title: "Reviews" };

const filtersSchema = z.object({
  queue: z.enum(QUEUES).optional().catch(undefined),
  state: z.enum(["proposed", "approved", "rejected", "unreviewed", "superseded"]).optional().catch(undefined),
  origin: z.enum(["proposal", "import"]).optional().catch(undefined),
  repositoryId: z.string().max(100).optional().catch(undefined),
  unowned: z.enum(["1"]).optional().catch(undefined),
});

const TABS: { queue: (typeof QUEUES)[number]; label: string }[] = [
  { queue: "mine", label: "Awaiting my review" },
  { queue: "open", label: "All open" },
  { queue: "authored", label: "Proposed by me" },
  { queue: "all", label: "Everything" },
];

export default async function ChangesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser("reviews:read");
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v || undefined]));
  const filters = filtersSchema.parse(raw);
  const queue = filters.queue ?? "mine";
  const [{ changes, total }, repositories, awaiting] = await Promise.all([
    listChanges(user, { ...filters, queue, unowned: filters.unowned === "1" }),
    listRepositories(user),
    countAwaitingReview(user),
  ]);
  const link = (q: string) => `/changes?${new URLSearchParams(Object.entries({ ...filters, queue: q }).filter(([, v]) => v) as [string, string][])}`;
  return (
    <>
      <PageHeader title="Reviews" description="Proposals made in Specledger, and versions imports found, waiting for their owners." />
      <nav className="mb-4 flex flex-wrap gap-1 border-b border-slate-200" aria-label="Queues">
        {TABS.map((tab) => (
          <Link
            key={tab.queue}
            href={link(tab.queue)}
            aria-current={tab.queue === queue ? "page" : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${tab.queue === queue ? "border-sky-600 text-sky-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
          >
            {tab.label}
            {tab.queue === "mine" ? <span className="ml-1.5 rounded-full bg-slate-100 px-1.5 text-xs tabular-nums">{awaiting}</span> : null}
          </Link>
        ))}
      </nav>
      <Card className="mb-4 p-4">
        <form className="grid gap-3 md:grid-cols-[1fr_1fr_1fr_auto_auto] md:items-end" aria-label="Filters">
          <input type="hidden" name="queue" value={queue} />
          <FilterSelect
            label="State"
            name="state"
            value={filters.state ?? ""}
            options={[
              { value: "", label: queue === "mine" || queue === "open" ? "Open" : "Any" },
              "proposed",
              "unreviewed",
              "approved",
              "rejected",
              "superseded",
            ]}
          />
          <FilterSelect
            label="Came from"
            name="origin"
            value={filters.origin ?? ""}
            options={[
              { value: "", label: "Anywhere" },
              { value: "proposal", label: "a proposal" },
              { value: "import", label: "an import" },
            ]}
          />
          <FilterSelect
            label="Repository"
            name="repositoryId"
            value={filters.repositoryId ?? ""}
            options={[{ value: "", label: "All" }, ...repositories.map((r) => ({ value: r.id, label: r.name }))]}
          />
          <label className="flex items-center gap-2 text-sm font-medium">
            <input type="checkbox" name="unowned" value="1" defaultChecked={filters.unowned === "1"} /> Unowned only
          </label>
          <button type="submit" className={buttonClass}>
            Filter
          </button>
        </form>
      </Card>
      {changes.length === 0 ? (
        <EmptyState title={queue === "mine" ? "Nothing is waiting for your review." : "No changes match."}>
          {queue === "mine" ? "Changes to specs you or your teams own appear here." : null}
        </EmptyState>
      ) : (
        <Card>
          <Table columns={["#", "Change", "Spec", "State", "By", "Opened"]} testId="changes">
            {changes.map((c) => (
              <tr key={c.number} className="border-b border-slate-100 last:border-0">
                <td className="px-4 py-2 tabular-nums text-slate-500">{c.number}</td>
                <td className="px-4 py-2">
                  <Link href={`/changes/${c.number}`} className="font-medium text-sky-700 hover:underline">
                    {c.title}
                  </Link>{" "}
                  <Badge tone={c.origin === "proposal" ? "violet" : "gray"}>{c.origin === "proposal" ? "proposal" : "import"}</Badge>
                </td>
                <td className="px-4 py-2">
                  <span className="font-mono text-xs">{c.spec.path}</span>
                  <div className="text-xs text-slate-500">
                    {c.spec.repository.name} · {c.spec.owners.length > 0 ? c.spec.owners.join(", ") : <span className="text-amber-700">unowned</span>}
                  </div>
                </td>
                <td className="px-4 py-2">
                  <ReviewStateBadge state={c.state} />
                </td>
                <td className="px-4 py-2 text-slate-600">{c.revisions[0]?.authorLabel}</td>
                <td className="px-4 py-2 text-slate-600">
                  <RelativeTime date={c.createdAt} />
                </td>
              </tr>
            ))}
          </Table>
          {total > changes.length ? (
            <p className="px-4 py-2 text-xs text-slate-500">
              The first {changes.length} of {total}; narrow the filters to see the rest.
            </p>
          ) : null}
        </Card>
      )}
    </>
  );
}

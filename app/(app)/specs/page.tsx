import Link from "next/link";
import { z } from "zod";
import { positiveIntString, text } from "@/lib/schema";
import { requireUser } from "@/lib/auth/session";
import { plural } from "@/lib/text";
import { AGENT_FILES, listFeatures, listOwners, listRepositories, listSpecs, NOT_AGENT } from "@/lib/specs/queries";
import { KIND_LABELS, SPEC_KINDS } from "@/lib/specs/kinds";
import { KindBadge } from "@/components/status";
import { Badge, Card, EmptyState, FilterSelect, PageHeader, buttonClass, inputClass, ownerOptions, Table } from "@/components/ui";
import { ListFooter } from "@/components/page-links";

export const metadata = { title: "Specs" };

const filtersSchema = z.object({
  q: text().max(200).optional().catch(undefined),
  repositoryId: text().max(100).optional().catch(undefined),
  kind: z
    .enum([NOT_AGENT, AGENT_FILES, ...SPEC_KINDS] as [string, ...string[]])
    .optional()
    .catch(undefined),
  featureId: text().max(100).optional().catch(undefined),
  deleted: z.enum(["live", "deleted", "all"]).optional().catch(undefined),
  owner: text().max(200).optional().catch(undefined),
  review: z.enum(["approved"]).optional().catch(undefined),
  page: positiveIntString(10_000).optional().catch(undefined),
});

export default async function SpecsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v || undefined]));
  const filters = filtersSchema.parse(raw);
  const [result, repositories, features, owners] = await Promise.all([
    listSpecs(user, filters as Parameters<typeof listSpecs>[1]),
    listRepositories(user),
    listFeatures(user, filters.repositoryId),
    listOwners(user),
  ]);
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  const pageLink = (page: number) => {
    const params = new URLSearchParams(Object.entries({ ...filters, page: String(page) }).filter(([, v]) => v) as [string, string][]);
    return `/specs?${params}`;
  };
  return (
    <>
      <PageHeader title="Specs" description="Specs, plans, tasks, steering, contracts and agent instruction files." />
      <Card className="mb-4 p-4">
        <form className="grid gap-3 md:grid-cols-[2fr_1fr_1fr_1fr_1fr_1fr_1fr_auto] md:items-end" role="search">
          <label className="text-sm font-medium">
            Search
            <input name="q" defaultValue={filters.q} placeholder="refund idempotency" className={`mt-1 ${inputClass}`} />
          </label>
          <FilterSelect
            label="Repository"
            name="repositoryId"
            value={filters.repositoryId ?? ""}
            options={[{ value: "", label: "All" }, ...repositories.map((r) => ({ value: r.id, label: r.name }))]}
          />
          <FilterSelect
            label="Kind"
            name="kind"
            value={filters.kind ?? ""}
            options={[
              { value: "", label: "All" },
              { value: NOT_AGENT, label: "All but agent files" },
              { value: AGENT_FILES, label: "All agent files" },
              ...SPEC_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] })),
            ]}
          />
          <FilterSelect
            label="Feature"
            name="featureId"
            value={filters.featureId ?? ""}
            options={[{ value: "", label: "All" }, ...features.map((f) => ({ value: f.id, label: `${f.repository.name}: ${f.name}` }))]}
          />
          <FilterSelect
            label="Owner"
            name="owner"
            value={filters.owner ?? ""}
            options={[...ownerOptions(owners).slice(0, 1), { value: "owned", label: "Owned by anyone" }, ...ownerOptions(owners).slice(1)]}
          />
          <FilterSelect
            label="Review"
            name="review"
            value={filters.review ?? ""}
            options={[
              { value: "", label: "Any" },
              { value: "approved", label: "Current content approved" },
            ]}
          />
          <FilterSelect
            label="State"
            name="deleted"
            value={filters.deleted ?? "live"}
            options={[
              { value: "live", label: "Current" },
              { value: "deleted", label: "Deleted" },
              { value: "all", label: "All" },
            ]}
          />
          <button type="submit" className={buttonClass}>
            Filter
          </button>
        </form>
      </Card>
      {result.rows.length === 0 ? (
        <EmptyState title="No files match">Try another search or clear the filters.</EmptyState>
      ) : (
        <Card>
          <Table columns={["Path", "Kind", "Repository", "Feature", "Owners", { label: "Versions", align: "right" }]} testId="spec-list">
            {result.rows.map((s) => (
              <tr key={s.id} className="hover:bg-slate-50">
                <td className="px-4 py-2">
                  <Link href={`/specs/${s.id}`} className="font-mono text-xs text-sky-700 hover:underline">
                    {s.path}
                  </Link>{" "}
                  {s.deleted ? <Badge tone="red">deleted</Badge> : null}
                </td>
                <td className="px-4 py-2">
                  <KindBadge kind={s.kind} />
                </td>
                <td className="px-4 py-2">{s.repository.name}</td>
                <td className="px-4 py-2 text-slate-600">{s.feature?.name ?? ""}</td>
                <td className="px-4 py-2 text-xs">{s.owners.length > 0 ? s.owners.join(", ") : <span className="text-amber-700">unowned</span>}</td>
                <td className="px-4 py-2 text-right tabular-nums">{s.versionCount}</td>
              </tr>
            ))}
          </Table>
          <ListFooter count={plural(result.total, "file")} testId="spec-total" page={result.page} pages={pages} href={pageLink} />
        </Card>
      )}
    </>
  );
}

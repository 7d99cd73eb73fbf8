import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { findDuplicateClusters } from "@/lib/findings/duplicates";
import { DEFAULT_THRESHOLD } from "@/lib/findings/minhash";
import { KindBadge } from "@/components/status";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui";
import { dismissClusterAction, markCanonicalAction } from "@/lib/actions/duplicates";

export const metadata = { title: "Duplicates" };

export default async function DuplicatesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser("specs:read");
  const params = await searchParams;
  const showDismissed = params.dismissed === "1";
  const clusters = await findDuplicateClusters(user, { includeDismissed: showDismissed });
  const editable = can(user.role, "duplicates:decide");
  return (
    <>
      <PageHeader
        title="Duplicates"
        description={`Specs that describe the same thing: the same bytes in several places, or wording at least ${Math.round(DEFAULT_THRESHOLD * 100)}% alike (Jaccard similarity of word shingles, checked exactly).`}
        actions={
          <Link href={showDismissed ? "/duplicates" : "/duplicates?dismissed=1"} className="text-sm text-sky-700 hover:underline">
            {showDismissed ? "Hide dismissed" : "Show dismissed"}
          </Link>
        }
      />
      {typeof params.error === "string" ? (
        <p role="alert" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {params.error}
        </p>
      ) : null}
      {clusters.length === 0 ? (
        <EmptyState title="No duplicates found" />
      ) : (
        <div className="space-y-4" data-testid="duplicate-clusters">
          {clusters.map((cluster) => (
            <Card key={cluster.key} className="p-4">
              <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
                <h2 className="font-medium">
                  {cluster.members.length} specs, {cluster.kind === "exact" ? "identical" : `at least ${Math.floor(cluster.similarity * 100)}% alike`}
                  {cluster.dismissed ? (
                    <>
                      {" "}
                      <Badge>dismissed</Badge>
                    </>
                  ) : null}
                </h2>
                <div className="flex items-center gap-3 text-sm">
                  {cluster.members.length >= 2 ? (
                    <Link href={`/duplicates/compare?a=${cluster.members[0].specId}&b=${cluster.members[1].specId}`} className="text-sky-700 hover:underline">
                      Compare side by side
                    </Link>
                  ) : null}
                  {editable ? (
                    <form action={dismissClusterAction}>
                      <input type="hidden" name="key" value={cluster.key} />
                      <input type="hidden" name="dismissed" value={cluster.dismissed ? "false" : "true"} />
                      <button type="submit" className="text-slate-600 hover:underline">
                        {cluster.dismissed ? "Restore" : "Dismiss"}
                      </button>
                    </form>
                  ) : null}
                </div>
              </div>
              <ul className="divide-y divide-slate-100 text-sm">
                {cluster.members.map((m, i) => (
                  <li key={m.specId} className="flex flex-wrap items-center justify-between gap-2 py-1.5">
                    <span className="flex items-center gap-2">
                      <KindBadge kind={m.kind} />
                      <Link href={`/specs/${m.specId}`} className="font-mono text-xs text-sky-700 hover:underline">
                        {m.repository}:{m.path}
                      </Link>
                      {cluster.canonicalSpecId === m.specId ? <Badge tone="green">canonical</Badge> : null}
                    </span>
                    <span className="flex items-center gap-3 text-xs text-slate-500">
                      {m.owners.length ? m.owners.join(", ") : <span className="text-amber-700">unowned</span>}
                      {i > 0 ? (
                        <Link href={`/duplicates/compare?a=${cluster.members[0].specId}&b=${m.specId}`} className="text-sky-700 hover:underline">
                          diff with the first
                        </Link>
                      ) : null}
                      {editable && cluster.canonicalSpecId !== m.specId ? (
                        <form action={markCanonicalAction}>
                          <input type="hidden" name="key" value={cluster.key} />
                          <input type="hidden" name="specId" value={m.specId} />
                          <button type="submit" className="text-sky-700 hover:underline">
                            Mark canonical
                          </button>
                        </form>
                      ) : null}
                    </span>
                  </li>
                ))}
              </ul>
            </Card>
          ))}
        </div>
      )}
    </>
  );
}

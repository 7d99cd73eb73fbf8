import Link from "next/link";
import type { GovernedFile } from "@/lib/repositories/tree";
import { plural } from "@/lib/text";
import { Card } from "@/components/ui";

/** Open findings of the repository by severity, linking to the filtered findings list. */
export function RepositoryFindingsSection({ name, counts }: { name: string; counts: { total: number; error: number; warning: number; info: number } }) {
  const href = (severity?: string) => `/findings?repository=${encodeURIComponent(name)}${severity ? `&severity=${severity}` : ""}`;
  return (
    <Card className="p-4">
      <h2 className="mb-2 font-medium">Findings</h2>
      {counts.total === 0 ? (
        <p className="text-sm text-slate-500">No open findings.</p>
      ) : (
        <p className="text-sm" data-testid="repository-findings">
          <Link href={href()} className="text-sky-700 hover:underline">
            {plural(counts.total, "open finding")}
          </Link>
          :{" "}
          {(["error", "warning", "info"] as const)
            .filter((s) => counts[s] > 0)
            .map((s, i) => (
              <span key={s}>
                {i > 0 ? ", " : ""}
                <Link href={href(s)} className="text-sky-700 hover:underline">
                  {counts[s]} {s}
                  {s === "info" ? "" : counts[s] === 1 ? "" : "s"}
                </Link>
              </span>
            ))}
        </p>
      )}
    </Card>
  );
}

/** Who owns what: each owner with how many governed files name them, and the unowned ones. */
export function RepositoryOwnersSection({ files, repositoryId }: { files: GovernedFile[]; repositoryId: string }) {
  const byOwner = new Map<string, number>();
  for (const f of files) for (const o of f.owners) byOwner.set(o, (byOwner.get(o) ?? 0) + 1);
  const unowned = files.filter((f) => f.owners.length === 0).length;
  const owners = [...byOwner].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return (
    <Card className="p-4">
      <h2 className="mb-2 font-medium">Owners</h2>
      <ul className="space-y-1 text-sm" data-testid="repository-owners">
        {owners.map(([owner, n]) => (
          <li key={owner} className="flex justify-between gap-2">
            <Link href={`/specs?repositoryId=${repositoryId}&owner=${encodeURIComponent(owner)}`} className="text-sky-700 hover:underline">
              {owner}
            </Link>
            <span className="tabular-nums text-slate-600">{plural(n, "file")}</span>
          </li>
        ))}
        {unowned > 0 ? (
          <li className="flex justify-between gap-2">
            <Link href={`/specs?repositoryId=${repositoryId}&owner=unowned`} className="text-amber-700 hover:underline">
              unowned
            </Link>
            <span className="tabular-nums text-slate-600">{plural(unowned, "file")}</span>
          </li>
        ) : null}
      </ul>
      <p className="mt-2 text-xs text-slate-500">
        From CODEOWNERS and the{" "}
        <Link href="/settings/ownership" className="text-sky-700 underline">
          ownership rules
        </Link>
        ; the tree shows each file&apos;s owners.
      </p>
    </Card>
  );
}

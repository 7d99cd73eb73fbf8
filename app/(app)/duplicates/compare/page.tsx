import Link from "next/link";
import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { loadOr404 } from "@/lib/http/page";
import { diffTexts } from "@/lib/specs/diff";
import { getSpecOrThrow, getVersionTextOrThrow } from "@/lib/specs/queries";
import { DiffView } from "@/components/diff-view";
import { Card, EmptyState, PageHeader } from "@/components/ui";

const querySchema = z.object({ a: z.string().min(1).max(100).optional().catch(undefined), b: z.string().min(1).max(100).optional().catch(undefined) });

/** Two specs' current versions side by side (a duplicate cluster's members, say). */
export default async function ComparePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser("specs:read");
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const { a, b } = querySchema.parse(raw);
  if (!a || !b) return <EmptyState title="Choose two specs to compare." />;
  const [left, right] = await Promise.all([loadOr404(getSpecOrThrow(user, a)), loadOr404(getSpecOrThrow(user, b))]);
  if (!left.versions[0] || !right.versions[0]) return <EmptyState title="One of the specs has no versions." />;
  const [leftText, rightText] = await Promise.all([
    loadOr404(getVersionTextOrThrow(user, left.id, left.versions[0].seq)),
    loadOr404(getVersionTextOrThrow(user, right.id, right.versions[0].seq)),
  ]);
  const label = (s: typeof left) => `${s.repository.name}:${s.path}`;
  const diff = diffTexts({ oldText: leftText.content.text, newText: rightText.content.text, oldLabel: label(left), newLabel: label(right) });
  return (
    <>
      <PageHeader
        title="Compare specs"
        description={
          <span>
            <Link href={`/specs/${left.id}`} className="font-mono text-sky-700 hover:underline">
              {label(left)}
            </Link>{" "}
            (left) with{" "}
            <Link href={`/specs/${right.id}`} className="font-mono text-sky-700 hover:underline">
              {label(right)}
            </Link>{" "}
            (right), current versions.
          </span>
        }
      />
      <Card className="p-4">
        <div data-testid="diff">
          <DiffView diff={diff} mode="split" />
        </div>
      </Card>
    </>
  );
}

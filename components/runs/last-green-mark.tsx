import Link from "next/link";
import { Badge } from "@/components/ui";

type Answer = {
  spec: { id: string };
  version: { seq: number; commitSha: string } | null;
  versionsBehind: number | null;
  summary: string | null;
};

/** Marks the spec's last green version against its live one ("Live is 2 versions past last green"). */
export function LastGreenMark({ answer }: { answer: Answer }) {
  if (!answer.version) return <span data-testid="last-green">· {answer.summary ?? "no green version"}</span>;
  return (
    <span data-testid="last-green" className="inline-flex items-center gap-1">
      ·{" "}
      <Link href={`/specs/${answer.spec.id}?v=${answer.version.seq}`} className="text-sky-700 hover:underline">
        last green: version {answer.version.seq}
      </Link>
      {answer.versionsBehind ? <Badge tone="amber">{answer.summary}</Badge> : <Badge tone="green">live is green</Badge>}
    </span>
  );
}

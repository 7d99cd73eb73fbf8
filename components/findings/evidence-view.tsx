// A finding's evidence, one view per finding type: the typed union of lib/findings/evidence.ts,
// read without casts (issue 16).
import Link from "next/link";
import type { EvidenceOf } from "@/lib/findings/evidence";
import type { FindingView } from "@/lib/findings/store";
import { plural } from "@/lib/text";

type Instruction = EvidenceOf<"competing-instructions">["onlyInA"][number];

export function EvidenceView({ finding }: { finding: FindingView }) {
  const typed = finding.typed;
  if (!typed) {
    return <p className="text-slate-500">This finding&apos;s evidence is in an older format; it is refreshed the next time its check runs.</p>;
  }
  switch (typed.type) {
    case "stale": {
      const evidence = typed.evidence;
      return (
        <>
          <p>
            Governs ({evidence.governedBy}): <span className="font-mono text-xs">{evidence.governs.join(", ")}</span>
          </p>
          <p className="mt-1">
            Baseline: <span className="font-mono text-xs">{evidence.baseline.slice(0, 12)}</span> ({evidence.baselineSource}).{" "}
            {plural(evidence.commitCount, "commit")} since
            {evidence.commitCount > evidence.commits.length ? `; the newest ${evidence.commits.length}` : ""}:{" "}
            <span className="text-emerald-700">+{evidence.added}</span> <span className="text-red-700">−{evidence.deleted}</span> lines.
          </p>
          {evidence.commitCount > evidence.commits.length ? (
            <p className="mt-1 text-xs text-slate-600">
              All of them, in a clone:{" "}
              <code className="font-mono">
                git log --oneline {evidence.baseline.slice(0, 12)}..{evidence.head.slice(0, 12)}
              </code>{" "}
              with the paths above.
            </p>
          ) : null}
          <ul className="mt-3 divide-y divide-slate-100" data-testid="stale-commits">
            {evidence.commits.map((c) => (
              <li key={c.sha} className="flex flex-wrap justify-between gap-2 py-1.5">
                <span>
                  <span className="font-mono text-xs">{c.sha.slice(0, 10)}</span> {c.subject}
                </span>
                <span className="text-xs text-slate-500">
                  {c.author} · {c.date.slice(0, 10)} · {plural(c.files, "file")} <span className="text-emerald-700">+{c.added}</span>{" "}
                  <span className="text-red-700">−{c.deleted}</span>
                </span>
              </li>
            ))}
          </ul>
        </>
      );
    }
    case "competing-instructions": {
      const { a, b, conflicts, onlyInA, onlyInB } = typed.evidence;
      const side = (title: string, items: Instruction[]) => (
        <div>
          <h3 className="font-medium">{title}</h3>
          <ul className="mt-1 list-disc space-y-1 pl-5">
            {items.slice(0, 30).map((i) => (
              <li key={`${i.line}:${i.text}`}>
                {i.text} <span className="text-xs text-slate-500">line {i.line}</span>
              </li>
            ))}
            {items.length > 30 ? <li className="text-slate-500">and {items.length - 30} more</li> : null}
            {items.length === 0 ? <li className="list-none text-slate-500">nothing</li> : null}
          </ul>
        </div>
      );
      return (
        <>
          {conflicts.length > 0 ? (
            <table className="w-full text-left" data-testid="conflicts">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-1 pr-3">
                    <Link href={`/specs/${a.specId}`} className="text-sky-700 hover:underline">
                      {a.path}
                    </Link>{" "}
                    says
                  </th>
                  <th className="py-1">
                    <Link href={`/specs/${b.specId}`} className="text-sky-700 hover:underline">
                      {b.path}
                    </Link>{" "}
                    says
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 align-top">
                {conflicts.map((c) => (
                  <tr key={`${c.a.line}:${c.b.line}`}>
                    <td className="py-1.5 pr-3">
                      {c.a.text} <span className="text-xs text-slate-500">line {c.a.line}</span>
                    </td>
                    <td className="py-1.5">
                      {c.b.text} <span className="text-xs text-slate-500">line {c.b.line}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <div className="mt-4 grid gap-4 md:grid-cols-2">
            {side(`Only in ${a.path}`, onlyInA)}
            {side(`Only in ${b.path}`, onlyInB)}
          </div>
        </>
      );
    }
    case "duplicate": {
      const { members, compareHref } = typed.evidence;
      return (
        <>
          <ul className="divide-y divide-slate-100">
            {members.map((m) => (
              <li key={m.specId} className="flex justify-between gap-2 py-1.5">
                <Link href={`/specs/${m.specId}`} className="font-mono text-xs text-sky-700 hover:underline">
                  {m.repository}:{m.path}
                </Link>
                <span className="text-xs text-slate-500">{m.owners.join(", ") || "unowned"}</span>
              </li>
            ))}
          </ul>
          <p className="mt-3 flex gap-4">
            <Link href={compareHref} className="text-sky-700 hover:underline">
              Compare side by side
            </Link>
            <Link href="/duplicates" className="text-sky-700 hover:underline">
              All duplicate clusters
            </Link>
          </p>
        </>
      );
    }
    case "unreviewed": {
      const evidence = typed.evidence;
      return (
        <p>
          Approved: version {evidence.approvedSeq}. Current: version {evidence.currentSeq}.{" "}
          <Link href={evidence.diffHref} className="text-sky-700 hover:underline">
            See what changed since the approval
          </Link>
        </p>
      );
    }
    case "deployed-stale": {
      const evidence = typed.evidence;
      return (
        <p>
          <Link href={evidence.deploymentHref} className="text-sky-700 hover:underline">
            {evidence.service} {evidence.version} in {evidence.environment}
          </Link>{" "}
          was built from version {evidence.deployedSeq} of {evidence.repository}:{evidence.path}; version {evidence.approvedSeq} is approved now.{" "}
          <Link href={evidence.diffHref} className="text-sky-700 hover:underline">
            See the difference
          </Link>
        </p>
      );
    }
    case "broken-reference":
      return <Details entries={Object.entries(typed.evidence)} />;
    case "requirement-oracle": {
      const evidence = typed.evidence;
      return (
        <p>
          <Link href={`/requirements/${evidence.requirementId}`} className="text-sky-700 hover:underline">
            {evidence.key ?? "The requirement"}
          </Link>{" "}
          {evidence.text}
          {evidence.missingTests.length > 0 ? <span className="block text-red-700">[@test] path not found: {evidence.missingTests.join(", ")}</span> : null}
        </p>
      );
    }
    case "lint": {
      const { text, ...rest } = typed.evidence;
      return (
        <>
          {typeof text === "string" ? (
            <pre tabIndex={0} className="overflow-x-auto rounded bg-slate-50 p-2 font-mono text-xs">
              {finding.line ? <span className="mr-3 select-none text-slate-500">{finding.line}</span> : null}
              {text}
            </pre>
          ) : null}
          <Details entries={Object.entries(rest)} />
        </>
      );
    }
  }
}

/** A check's own figures as a list of name and value (the file and line are shown beside). */
function Details({ entries }: { entries: [string, unknown][] }) {
  const details = entries.filter(([k]) => k !== "path" && k !== "line");
  if (details.length === 0) return null;
  return (
    <dl className="mt-3 grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1">
      {details.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-slate-500">{k}</dt>
          <dd className="break-all font-mono text-xs">{typeof v === "string" ? v : JSON.stringify(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

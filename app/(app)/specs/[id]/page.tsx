import Link from "next/link";
import { z } from "zod";
import { positiveIntString } from "@/lib/schema";
import { requireUser } from "@/lib/auth/session";
import { loadOr404 } from "@/lib/http/page";
import { diffSpecVersions, getSpecOrThrow, getVersionTextOrThrow } from "@/lib/specs/queries";
import { getSkillBundle, type SkillBundle } from "@/lib/specs/skills";
import { formatBytes } from "@/lib/specs/content";
import { can } from "@/lib/auth/permissions";
import { listSpecChanges } from "@/lib/reviews";
import { versionImpact } from "@/lib/deployments";
import { listRuns } from "@/lib/runs";
import { getLastGreen } from "@/lib/runs/green";
import { LastGreenMark } from "@/components/runs/last-green-mark";
import { RunOutcomeBadge } from "@/components/runs/outcome-badge";
import { countOpenFindings } from "@/lib/findings/store";
import { plural } from "@/lib/text";
import { countLines } from "@/lib/specs/diff";
import { ContractChanges } from "@/components/contract-changes";
import { DiffView } from "@/components/diff-view";
import { Markdown } from "@/components/markdown";
import { KindBadge, ReviewStateBadge } from "@/components/status";
import { Badge, Card, PageHeader, buttonClass, formatDate, inputClass } from "@/components/ui";
import { AuthorBadge } from "@/components/author-badge";
import { authorVerification } from "@/lib/reviews/identity";
import { commitSubjects } from "@/lib/specs/commit-subjects";
import { versionBanner } from "@/lib/specs/version-banner";
import { specRequirements } from "@/lib/requirements/queries";
import { RequirementsSection } from "@/components/requirements";
import { getSpecChecks } from "@/lib/checks/queries";

const querySchema = z.object({
  v: positiveIntString().optional().catch(undefined),
  from: positiveIntString().optional().catch(undefined),
  to: positiveIntString().optional().catch(undefined),
  mode: z.enum(["split", "unified"]).optional().catch(undefined),
});

export default async function SpecPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser();
  const { id } = await params;
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const query = querySchema.parse(raw);
  const spec = await loadOr404(getSpecOrThrow(user, id));
  const latest = spec.versions[0];
  const selectedSeq = query.v ?? latest?.seq;
  const selected = selectedSeq ? await loadOr404(getVersionTextOrThrow(user, spec.id, selectedSeq)) : null;
  const banner =
    selected && latest
      ? versionBanner({ selectedSeq: selected.seq, latestSeq: latest.seq, total: spec.versionCount, committedAt: selected.committedAt })
      : null;
  const comparing = query.from !== undefined && query.to !== undefined;
  const diff = comparing ? await loadOr404(diffSpecVersions(user, { specId: spec.id, fromSeq: query.from!, toSeq: query.to! })) : null;
  const mode = query.mode ?? "split";
  const changes = await listSpecChanges(user, spec.id);
  // A contract's version is shown with what it changed as an interface against the version before it.
  const previousSeq = selected && spec.kind === "contract" ? spec.versions.find((v) => v.seq < selected.seq)?.seq : undefined;
  const versionContract =
    selected && previousSeq !== undefined
      ? (await loadOr404(diffSpecVersions(user, { specId: spec.id, fromSeq: previousSeq, toSeq: selected.seq }))).contract
      : null;
  const impact = selected && can(user.role, "deployments:read") ? await versionImpact(user, selected.id) : null;
  const versionRuns = selected && can(user.role, "runs:read") ? await listRuns(user, { version: selected.id }) : null;
  const lastGreen = can(user.role, "runs:read") ? await getLastGreen(user, spec.id) : null;
  const openFindings = await countOpenFindings(user, spec.id);
  const checks = await getSpecChecks(user, { repositoryId: spec.repository.id, path: spec.path });
  const requirements = spec.kind === "spec" ? await specRequirements(user, spec.id) : null;
  const bundle = spec.kind === "skill" && !spec.deleted ? await getSkillBundle(user, spec) : null;
  const subjects = await commitSubjects(
    user,
    spec.repository.id,
    spec.versions.map((v) => v.commitSha),
  );
  const reviewOf = new Map(changes.filter((c) => c.origin === "import" && c.version).map((c) => [c.version!.seq, c]));
  const isMarkdown = /\.(md|mdc|markdown)$|(^|\/)\.(cursorrules|windsurfrules)$/.test(spec.path);

  return (
    <>
      <PageHeader
        title={<span className="font-mono text-xl">{spec.path}</span>}
        actions={
          !spec.deleted && can(user.role, "reviews:propose") ? (
            <Link href={`/specs/${spec.id}/propose`} className={buttonClass}>
              Propose a change
            </Link>
          ) : null
        }
        description={
          <span className="flex flex-wrap items-center gap-2">
            <KindBadge kind={spec.kind} />
            {spec.deleted ? <Badge tone="red">deleted in {spec.deletedInCommit?.slice(0, 7)}</Badge> : null}
            {/* Links inside this line of text are underlined: colour alone does not tell them apart (axe link-in-text-block). */}
            <span>
              in{" "}
              <Link href={`/repositories/${spec.repository.id}`} className="text-sky-700 underline">
                {spec.repository.name}
              </Link>
            </span>
            {spec.feature ? (
              <span>
                · feature{" "}
                <Link href={`/specs?featureId=${spec.feature.id}`} className="text-sky-700 underline">
                  {spec.feature.name}
                </Link>
              </span>
            ) : null}
            <span>· {plural(spec.versionCount, "version")}</span>
            {lastGreen ? <LastGreenMark answer={lastGreen} /> : null}
            {openFindings > 0 ? (
              <span>
                ·{" "}
                <Link href={`/findings?spec=${spec.id}`} className="text-amber-700 underline" data-testid="spec-findings">
                  {plural(openFindings, "open finding")}
                </Link>
              </span>
            ) : null}
            <span data-testid="owners">
              · {spec.owners.length > 0 ? <>owned by {spec.owners.join(", ")}</> : <span className="text-amber-700">unowned</span>}
              {spec.ownerRule ? (
                <span className="text-slate-500">
                  {" "}
                  (rule <code className="font-mono text-xs">{spec.ownerRule.pattern}</code> from {spec.ownerRule.source.replace(/^codeowners:/, "")})
                </span>
              ) : null}
            </span>
          </span>
        }
      />
      {banner ? (
        <p
          role="status"
          className="mb-4 flex flex-wrap items-center gap-x-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900"
          data-testid="old-version-banner"
        >
          <span>
            You are viewing version {banner.seq} of {banner.total} from {banner.day}.
          </span>
          <span>
            <Link href={`/specs/${spec.id}`} className="font-medium text-sky-700 hover:underline">
              View live
            </Link>{" "}
            |{" "}
            <Link href={`/specs/${spec.id}?from=${banner.seq}&to=${banner.liveSeq}&mode=${mode}`} className="font-medium text-sky-700 hover:underline">
              Compare with live
            </Link>
          </span>
        </p>
      ) : null}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[1fr_22rem]">
        <div className="min-w-0 space-y-6">
          {diff ? (
            <Card className="p-4">
              <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
                <h2 className="font-medium">
                  Changes from version {diff.from.seq} to version {diff.to.seq}
                  {diff.diff.status === "ok" ? (
                    <span className="ml-2 text-sm font-normal">
                      <span className="text-emerald-700">+{diff.diff.added}</span> <span className="text-red-700">−{diff.diff.removed}</span>
                    </span>
                  ) : null}
                </h2>
              </div>
              {diff.contract ? <ContractChanges classification={diff.contract} /> : null}
              <div data-testid="diff">
                <DiffView diff={diff.diff} mode={mode} />
              </div>
            </Card>
          ) : null}
          {selected ? (
            <Card className="p-6">
              <div className="mb-4 flex items-center justify-between border-b border-slate-100 pb-3 text-sm text-slate-600">
                <span>
                  Version {selected.seq} · <span className="font-mono">{selected.commitSha.slice(0, 7)}</span>
                  {selected.isSymlink ? null : <span data-testid="version-lines"> · {plural(countLines(selected.content.text), "line")}</span>}
                  {selected.path !== spec.path ? <span className="ml-2 font-mono text-xs">({selected.path})</span> : null}
                </span>
                <span className="font-mono text-xs" title="SHA-256 of the content">
                  sha256:{selected.contentHash.slice(0, 12)}
                </span>
              </div>
              {versionContract ? <ContractChanges classification={versionContract} /> : null}
              <article data-testid="spec-content">
                {selected.isSymlink ? (
                  <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">
                    A symbolic link to <code className="font-mono">{selected.content.text}</code>. Specledger stores the link, never the file it points to.
                  </p>
                ) : isMarkdown ? (
                  <Markdown source={selected.content.text} />
                ) : (
                  <pre className="overflow-x-auto whitespace-pre-wrap font-mono text-xs">{selected.content.text}</pre>
                )}
              </article>
            </Card>
          ) : null}
        </div>
        <aside className="space-y-6">
          {selected && versionRuns ? (
            <Card className="p-4">
              <h2 className="mb-2 font-medium">Runs that used version {selected.seq}</h2>
              {versionRuns.total === 0 ? (
                <p className="text-sm text-slate-500">No reported agent run used this version.</p>
              ) : (
                <>
                  <ul className="space-y-1 text-sm" data-testid="version-runs">
                    {versionRuns.runs.slice(0, 10).map((r) => (
                      <li key={r.id} className="flex items-center justify-between gap-2">
                        <Link href={`/runs/${r.id}`} className="min-w-0 truncate text-sky-700 hover:underline">
                          {r.agent} · {r.externalId}
                        </Link>
                        <RunOutcomeBadge outcome={r.outcome} />
                      </li>
                    ))}
                  </ul>
                  <Link href={`/runs?version=${selected.id}`} className="mt-2 inline-block text-xs text-sky-700 hover:underline" data-testid="version-runs-all">
                    All {plural(versionRuns.total, "run")}
                  </Link>
                </>
              )}
              <Link href={`/runs?spec=${spec.id}`} className="mt-2 block text-xs text-sky-700 hover:underline" data-testid="spec-runs-all">
                Runs of any version of this file
              </Link>
            </Card>
          ) : null}
          {impact && impact.deployments.length > 0 ? (
            <Card className="p-4">
              <h2 className="mb-2 font-medium">Deployments version {impact.version.seq} shaped</h2>
              <div data-testid="version-impact" className="space-y-3 text-sm">
                <ul className="space-y-1">
                  {impact.deployments.map((d) => (
                    <li key={d.id} className="flex items-center justify-between gap-2">
                      <Link href={`/deployments/${d.id}`} className="text-sky-700 hover:underline">
                        {d.service} {d.version} in {d.environment}
                      </Link>
                      <span className="text-xs text-slate-500">
                        {d.live ? "live" : "replaced"} · {d.how}
                      </span>
                    </li>
                  ))}
                </ul>
              </div>
            </Card>
          ) : null}
          {changes.length > 0 ? (
            <Card className="p-4">
              <h2 className="mb-2 font-medium">Reviews</h2>
              <ul className="space-y-2 text-sm" data-testid="spec-reviews">
                {changes.slice(0, 10).map((c) => (
                  <li key={c.number} className="flex items-center justify-between gap-2">
                    <Link href={`/changes/${c.number}`} className="min-w-0 truncate text-sky-700 hover:underline">
                      #{c.number} {c.title}
                    </Link>
                    <ReviewStateBadge state={c.state} />
                  </li>
                ))}
              </ul>
            </Card>
          ) : null}
          {checks.length > 0 ? (
            <Card className="p-4">
              <h2 className="mb-2 font-medium">Pull-request checks</h2>
              <ul className="space-y-2 text-sm" data-testid="spec-checks">
                {checks.map((c) => (
                  <li key={c.id} className="flex flex-wrap items-center justify-between gap-2">
                    <Link href={c.url} className="text-sky-700 hover:underline">
                      {c.pullRequest ? `PR #${c.pullRequest}` : "Check"} at <span className="font-mono text-xs">{c.head.slice(0, 7)}</span>
                    </Link>
                    <span className="flex items-center gap-2 text-xs text-slate-600">
                      {c.approval === "unchanged" ? "not changed by it" : c.approval}
                      {c.blocking > 0 ? `, ${plural(c.blocking, "blocking item")}` : c.items > 0 ? `, ${plural(c.items, "note")}` : ""}
                      <Badge tone={c.verdict === "pass" ? "green" : "red"}>{c.verdict === "pass" ? "passed" : "failed"}</Badge>
                    </span>
                  </li>
                ))}
              </ul>
            </Card>
          ) : null}
          {requirements ? <RequirementsSection data={requirements} /> : null}
          {spec.versions.length > 1 ? (
            <Card className="p-4">
              <h2 className="mb-2 font-medium">Compare versions</h2>
              <form className="space-y-2 text-sm" aria-label="Compare versions">
                <div className="grid grid-cols-2 gap-2">
                  <VersionSelect label="From" name="from" versions={spec.versions} defaultValue={query.from ?? spec.versions[1].seq} />
                  <VersionSelect label="To" name="to" versions={spec.versions} defaultValue={query.to ?? spec.versions[0].seq} />
                </div>
                <input type="hidden" name="mode" value={mode} />
                <button type="submit" className={buttonClass}>
                  Show diff
                </button>
              </form>
            </Card>
          ) : null}
          <Card className="p-4">
            <h2 className="mb-2 font-medium">History</h2>
            {spec.versionCount > spec.versions.length ? (
              <p className="mb-2 text-xs text-slate-500">
                The latest {spec.versions.length} of {spec.versionCount} versions; older ones open with <code>?v=</code> and compare with{" "}
                <code>?from=&amp;to=</code>.
              </p>
            ) : null}
            <ol className="space-y-3 text-sm" data-testid="timeline">
              {spec.versions.map((v, index) => {
                const previous = spec.versions[index + 1];
                return (
                  <li key={v.id} className={`border-l-2 pl-3 ${v.seq === selectedSeq ? "border-sky-500" : "border-slate-200"}`}>
                    <div className="flex items-center justify-between">
                      <Link href={`/specs/${spec.id}?v=${v.seq}`} className="font-medium text-sky-700 hover:underline">
                        Version {v.seq}
                      </Link>
                      <span className="flex items-center gap-2">
                        {reviewOf.get(v.seq) ? (
                          <Link href={`/changes/${reviewOf.get(v.seq)!.number}`} title="Review state">
                            <ReviewStateBadge state={reviewOf.get(v.seq)!.state} />
                          </Link>
                        ) : null}
                        <span className="font-mono text-xs text-slate-500">{v.commitSha.slice(0, 7)}</span>
                      </span>
                    </div>
                    {subjects.get(v.commitSha) ? (
                      <div className="break-words text-slate-800" data-testid="commit-subject">
                        {subjects.get(v.commitSha)}
                      </div>
                    ) : null}
                    <div className="flex flex-wrap items-center gap-1 text-slate-600">
                      {v.authorName} · {formatDate(v.committedAt)} <AuthorBadge verification={authorVerification(v.identity)} />
                    </div>
                    {previous && previous.path !== v.path ? (
                      <div className="text-xs text-violet-700">
                        renamed from <span className="font-mono">{previous.path}</span>
                      </div>
                    ) : null}
                    {previous ? (
                      <Link href={`/specs/${spec.id}?from=${previous.seq}&to=${v.seq}&mode=${mode}`} className="text-xs text-sky-700 hover:underline">
                        diff with version {previous.seq}
                      </Link>
                    ) : null}
                  </li>
                );
              })}
            </ol>
          </Card>
          {bundle ? <SkillBundleCard bundle={bundle} folder={spec.path.slice(0, spec.path.lastIndexOf("/") + 1)} /> : null}
          {spec.feature && spec.feature.specs.length > 1 ? (
            <Card className="p-4">
              <h2 className="mb-2 font-medium">In this feature</h2>
              <ul className="space-y-1 text-sm">
                {spec.feature.specs.map((s) => (
                  <li key={s.id} className="flex items-center justify-between gap-2">
                    <Link href={`/specs/${s.id}`} className={`font-mono text-xs ${s.id === spec.id ? "font-bold" : "text-sky-700 hover:underline"}`}>
                      {s.path.split("/").pop()}
                    </Link>
                    <KindBadge kind={s.kind} />
                  </li>
                ))}
              </ul>
            </Card>
          ) : null}
        </aside>
      </div>
    </>
  );
}

/** The files bundled beside SKILL.md: each versioned file links to its own page; binary or huge ones say why they are not. */
function SkillBundleCard({ bundle, folder }: { bundle: SkillBundle; folder: string }) {
  return (
    <Card className="p-4">
      <h2 className="mb-2 font-medium">Bundled files</h2>
      {bundle.files.length === 0 && bundle.skipped.length === 0 ? (
        <p className="text-sm text-slate-500">Only SKILL.md: no scripts, references or assets.</p>
      ) : null}
      <ul className="space-y-1 text-sm" data-testid="skill-bundle">
        {bundle.files.map((f) => (
          <li key={f.id} className="flex items-center justify-between gap-2">
            <Link href={`/specs/${f.id}`} className="break-all font-mono text-xs text-sky-700 hover:underline">
              {f.path.slice(folder.length)}
            </Link>
            {f.size !== null ? <span className="shrink-0 text-xs text-slate-500">{formatBytes(f.size)}</span> : null}
          </li>
        ))}
        {bundle.skipped.map((f) => (
          <li key={f.path} className="text-xs" data-testid="skill-bundle-skipped">
            <span className="break-all font-mono">{f.path.slice(folder.length)}</span>{" "}
            <span className="text-amber-700">
              not versioned ({f.reason}): {f.detail}
            </span>
          </li>
        ))}
      </ul>
      {bundle.total > bundle.files.length ? (
        <p className="mt-2 text-xs text-slate-500">
          The first {bundle.files.length} of {bundle.total} versioned files.
        </p>
      ) : null}
    </Card>
  );
}

function VersionSelect(props: { label: string; name: string; versions: { seq: number; commitSha: string }[]; defaultValue: number }) {
  return (
    <label>
      {props.label}
      <select name={props.name} defaultValue={props.defaultValue} className={`mt-1 ${inputClass}`}>
        {props.versions.map((v) => (
          <option key={v.seq} value={v.seq}>
            v{v.seq} · {v.commitSha.slice(0, 7)}
          </option>
        ))}
      </select>
    </label>
  );
}

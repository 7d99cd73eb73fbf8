import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { loadOr404 } from "@/lib/http/page";
import { getRepositoryOrThrow } from "@/lib/specs/queries";
import { ImportStatus, RescanButton, type ImportSnapshot } from "@/components/import-status";
import { ImportStatusBadge, RepositoryStatusBadge } from "@/components/status";
import { Age, Badge, Card, PageHeader, RelativeTime, Stat, Table } from "@/components/ui";
import { SyncPolicyForm } from "@/components/sync-policy-form";
import { getRepositorySync } from "@/lib/repositories/sync";
import { WebhookSecretForm } from "@/components/webhook-secret-form";
import { getRepositoryChecks } from "@/lib/checks/queries";
import { getRepositoryCredential } from "@/lib/repositories/credentials";
import { CredentialForm } from "@/components/credential-form";
import { countRepositoryFindings, FILE_TREE_LIMIT, listGovernedFiles } from "@/lib/repositories/files";
import { importDuration } from "@/lib/repositories/tree";
import { GovernedFilesSection } from "@/components/repository/file-tree";
import { RepositoryFindingsSection, RepositoryOwnersSection } from "@/components/repository/findings-owners";
import { ManageRepositorySection } from "@/components/repository/manage-section";
import { EffectiveInstructionsSection } from "@/components/repository/effective-instructions";
import { BudgetsSection } from "@/components/repository/budgets-section";
import { listBudgets } from "@/lib/runs/budgets";

export default async function RepositoryPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ agent?: string | string[]; dir?: string | string[] }>;
}) {
  const user = await requireUser("repositories:read");
  const { id } = await params;
  const { agent, dir } = await searchParams;
  const repo = await loadOr404(getRepositoryOrThrow(user, id));
  const [gate, sync, access, files, findings] = await Promise.all([
    getRepositoryChecks(user, repo.id),
    getRepositorySync(user, repo.id),
    getRepositoryCredential(user, repo.id),
    listGovernedFiles(user, repo.id),
    countRepositoryFindings(user, repo.id),
  ]);
  const latest = repo.imports[0];
  const busy = latest?.status === "queued" || latest?.status === "running";
  // Imports are listed newest first (20 at most): the head commit is set by the first success.
  const neverImported = repo.headCommit === null && repo.versions === 0 && !repo.imports.some((i) => i.status === "succeeded");
  return (
    <>
      <PageHeader
        title={
          <span className="flex items-center gap-3">
            {repo.name} <RepositoryStatusBadge status={repo.status} />
            {repo.archivedAt ? <Badge tone="amber">archived</Badge> : null}
          </span>
        }
        description={<span className="font-mono text-xs">{repo.source}</span>}
        actions={can(user.role, "imports:run") ? <RescanButton repositoryId={repo.id} disabled={busy} /> : null}
      />
      <ManageRepositorySection
        repository={repo}
        neverImported={neverImported}
        firstImportFailed={neverImported && latest?.status === "failed"}
        mayArchive={can(user.role, "repositories:write")}
        mayDelete={can(user.role, "repositories:delete")}
      />
      {can(user.role, "runs:read") ? (
        <BudgetsSection repositoryId={repo.id} budgets={await listBudgets(user, repo.id)} canManage={can(user.role, "repositories:write")} />
      ) : null}
      {latest ? (
        <Card className="mb-6 p-4">
          <h2 className="mb-2 font-medium">Latest import</h2>
          <ImportStatus initial={latest as ImportSnapshot} />
        </Card>
      ) : null}
      {sync.scheduled ? (
        <Card className="mb-6 p-4">
          <h2 className="mb-1 font-medium">Scheduled sync</h2>
          <p className="text-sm text-slate-600">
            {sync.lastSyncedAt ? (
              <>
                Last synced <Age date={sync.lastSyncedAt} /> ago.
              </>
            ) : (
              "Not synced yet."
            )}{" "}
            {sync.intervalMinutes === null ? (
              "Not fetched on a schedule."
            ) : sync.nextAt && sync.nextAt.getTime() > 0 ? (
              <>
                Fetched every {sync.intervalMinutes} minutes; next at <RelativeTime date={sync.nextAt} />.
              </>
            ) : (
              `Fetched every ${sync.intervalMinutes} minutes; next within a minute.`
            )}
          </p>
          {sync.failingSince ? (
            <p role="alert" className="mt-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
              Failing since <RelativeTime date={sync.failingSince} /> ({sync.failures} {sync.failures === 1 ? "attempt" : "attempts"}, backing off)
              {sync.cause ? `: ${sync.cause}` : "."}
            </p>
          ) : null}
          {can(user.role, "policies:manage") ? (
            <div className="mt-3">
              <SyncPolicyForm repositoryId={repo.id} intervalMinutes={sync.intervalMinutes} />
            </div>
          ) : null}
        </Card>
      ) : null}
      {access.transport ? (
        <Card className="mb-6 p-4">
          <h2 className="mb-1 font-medium">Credential</h2>
          <p className="text-sm text-slate-600" data-testid="credential">
            {access.credential ? (
              <>
                {access.credential.kind === "ssh" ? (
                  <>
                    SSH deploy key <span className="font-mono text-xs">{access.credential.fingerprint}</span> ({access.credential.keyType})
                  </>
                ) : (
                  <>HTTPS token{access.credential.username ? ` for ${access.credential.username}` : ""}</>
                )}
                {access.credential.setAt ? (
                  <>
                    , set <RelativeTime date={access.credential.setAt} /> by {access.credential.setBy ?? "someone"}
                  </>
                ) : null}
                . It is stored encrypted and never shown again.
              </>
            ) : (
              "None: the repository is fetched without a token or key (public repositories)."
            )}
          </p>
          {can(user.role, "credentials:manage") ? (
            <div className="mt-3">
              <CredentialForm repositoryId={repo.id} transport={access.transport} isSet={access.credential !== null} />
            </div>
          ) : null}
        </Card>
      ) : null}
      <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
        <Stat label="Files" value={repo.liveSpecs} href={`/specs?repositoryId=${repo.id}`} />
        <Stat label="Versions" value={repo.versions} />
        <Stat label="Branch" value={<span className="text-xl">{repo.defaultBranch ?? "—"}</span>} />
        <Stat label="Head" value={<span className="font-mono text-xl">{repo.headCommit?.slice(0, 7) ?? "—"}</span>} />
      </div>
      <div className="mt-6 grid gap-4 md:grid-cols-2">
        <RepositoryFindingsSection name={repo.name} counts={findings} />
        <RepositoryOwnersSection files={files} repositoryId={repo.id} />
      </div>
      <GovernedFilesSection files={files} total={repo.liveSpecs} limit={FILE_TREE_LIMIT} repositoryId={repo.id} />
      {repo.headCommit ? (
        <EffectiveInstructionsSection
          viewer={user}
          repositoryId={repo.id}
          agent={typeof agent === "string" ? agent : undefined}
          directory={typeof dir === "string" ? dir : undefined}
        />
      ) : null}
      {repo.skipped.length > 0 ? (
        <Card className="mt-6 p-4">
          <h2 className="font-medium">Skipped files</h2>
          <p className="text-sm text-slate-600">These versions were not stored; the reason says why.</p>
          <ul className="mt-2 divide-y divide-slate-100 text-sm">
            {repo.skipped.map((s) => (
              <li key={s.id} className="flex justify-between gap-4 py-1.5">
                <span className="font-mono text-xs">{s.path}</span>
                <span className="text-slate-600">
                  {s.reason}: {s.detail} <span className="font-mono text-xs text-slate-400">{s.commitSha.slice(0, 7)}</span>
                </span>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <Card className="mt-6">
        <div id="checks" className="px-4 pt-4">
          <h2 className="font-medium">Checks</h2>
          <p className="text-sm text-slate-600">
            Pull-request checks run by <code className="font-mono text-xs">specledger check</code> in CI (docs/ci/). Open pull requests come from the GitHub
            webhook.
          </p>
        </div>
        {gate.openPullRequests.length > 0 ? (
          <Table columns={["Open pull request", "Head", "Last check"]} className="mt-2" testId="open-pull-requests">
            {gate.openPullRequests.map((p) => (
              <tr key={p.id}>
                <td className="px-4 py-2">
                  <a href={p.url} className="text-sky-700 hover:underline" rel="noreferrer">
                    #{p.number} {p.title}
                  </a>{" "}
                  <span className="text-xs text-slate-500">into {p.baseRef}</span>
                </td>
                <td className="px-4 py-2 font-mono text-xs">{p.headSha.slice(0, 7)}</td>
                <td className="px-4 py-2">
                  {p.lastCheck ? (
                    <Link href={`/checks/${p.lastCheck.id}`}>
                      <VerdictBadge verdict={p.lastCheck.verdict} /> <RelativeTime date={p.lastCheck.createdAt} />
                    </Link>
                  ) : (
                    <span className="text-slate-500">not checked yet</span>
                  )}
                </td>
              </tr>
            ))}
          </Table>
        ) : null}
        {gate.checks.length > 0 ? (
          <Table
            columns={["When", "Pull request", "Commits", { label: "Files", align: "right" }, { label: "Blocking", align: "right" }, "Verdict"]}
            className="mt-2"
            testId="checks"
          >
            {gate.checks.map((c) => (
              <tr key={c.id} id={`check-${c.id}`}>
                <td className="px-4 py-2">
                  <RelativeTime date={c.createdAt} />
                </td>
                <td className="px-4 py-2">{c.pullRequest ? `#${c.pullRequest}` : "—"}</td>
                <td className="px-4 py-2 font-mono text-xs">
                  {c.base.slice(0, 7)}...{c.head.slice(0, 7)}
                </td>
                <td className="px-4 py-2 text-right tabular-nums">{c.files}</td>
                <td className="px-4 py-2 text-right tabular-nums">{c.blocking}</td>
                <td className="px-4 py-2">
                  <Link href={`/checks/${c.id}`}>
                    <VerdictBadge verdict={c.verdict} />
                  </Link>
                </td>
              </tr>
            ))}
          </Table>
        ) : (
          <p className="px-4 py-3 text-sm text-slate-500">No checks yet.</p>
        )}
        {can(user.role, "webhooks:manage") ? (
          <div className="border-t border-slate-100 px-4 py-3">
            <p className="mb-2 text-sm text-slate-600">
              GitHub webhook: payload URL <code className="font-mono text-xs">/api/v1/webhooks/github</code> on this server, content type application/json, the
              secret below
              {gate.webhookSecretSet ? " (set)" : " (not set: deliveries are refused)"}.
            </p>
            <WebhookSecretForm repositoryId={repo.id} isSet={gate.webhookSecretSet} />
          </div>
        ) : null}
      </Card>
      <Card className="mt-6">
        <h2 className="px-4 pt-4 font-medium">Import history</h2>
        <Table
          columns={[
            "Started",
            "By",
            "Range",
            { label: "Commits read", align: "right" },
            { label: "With spec changes", align: "right" },
            { label: "New versions", align: "right" },
            { label: "Took", align: "right" },
            "Status",
          ]}
          className="mt-2"
          testId="import-history"
        >
          {repo.imports.map((i) => (
            <tr key={i.id}>
              <td className="px-4 py-2">
                <RelativeTime date={i.createdAt} />
              </td>
              <td className="px-4 py-2">{i.requestedBy?.name ?? <span title="The CLI or the demo seed">system</span>}</td>
              <td className="px-4 py-2 font-mono text-xs">
                {i.fromCommit ? `${i.fromCommit.slice(0, 7)}..` : ""}
                {i.toCommit?.slice(0, 7) ?? ""}
              </td>
              {/* Imports recorded before commits were counted have no figure for it. */}
              <td className="px-4 py-2 text-right tabular-nums">{i.commitsScanned ?? "—"}</td>
              <td className="px-4 py-2 text-right tabular-nums">{i.commitsWithSpecChanges}</td>
              <td className="px-4 py-2 text-right tabular-nums">{i.versionsAdded}</td>
              <td className="px-4 py-2 text-right tabular-nums">{importDuration(i.startedAt, i.finishedAt) ?? "—"}</td>
              <td className="px-4 py-2">
                <ImportStatusBadge status={i.status} /> {i.error ? <span className="text-red-700">{i.error}</span> : null}
                {i.followUpError ? <span className="text-amber-800">Follow-up failed: {i.followUpError}</span> : null}
              </td>
            </tr>
          ))}
        </Table>
      </Card>
      <p className="mt-6 text-sm">
        <Link href="/repositories" className="text-sky-700 hover:underline">
          ← All repositories
        </Link>
      </p>
    </>
  );
}

function VerdictBadge({ verdict }: { verdict: "pass" | "fail" }) {
  return <Badge tone={verdict === "pass" ? "green" : "red"}>{verdict === "pass" ? "passed" : "failed"}</Badge>;
}

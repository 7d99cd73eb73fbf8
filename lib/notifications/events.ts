// The events Specledger emits, built from the rows they are about. Each is called after the
// causing write committed (an operation's `after`, a job's end) and never throws.
import { db } from "@/lib/db";
import { publicCause } from "@/lib/git/error-text";
import { redactText } from "@/lib/git/source";
import { emitNotification, specFacts } from "./emit";
import { teamOwners } from "./format";

/** change.proposed, change.approved or change.changes_requested for change `number`, by `by`. */
export async function emitChangeEvent(type: "change.proposed" | "change.approved" | "change.changes_requested", number: number, by: string): Promise<void> {
  try {
    const change = await db.change.findUnique({ where: { number }, select: { id: true, number: true, state: true, specId: true, currentHash: true } });
    if (!change) return;
    const facts = await specFacts(change.specId);
    await emitNotification({
      type,
      repositoryId: facts?.repositoryId,
      path: facts?.path,
      teams: facts?.teams,
      data: {
        number: change.number,
        changeId: change.id,
        state: change.state,
        contentHash: change.currentHash,
        specId: change.specId,
        path: facts?.path,
        repository: facts?.repository,
        by,
      },
    });
  } catch (error) {
    console.error(`[notifications] could not emit ${type}`, error);
  }
}

/** finding.opened for each newly opened finding, when anyone subscribed to it (one query otherwise). */
export async function emitFindingsOpened(findingIds: string[]): Promise<void> {
  try {
    if (findingIds.length === 0) return;
    if (!(await db.notificationSubscription.findFirst({ where: { enabled: true, events: { has: "finding.opened" } }, select: { id: true } }))) return;
    const findings = await db.finding.findMany({
      where: { id: { in: findingIds }, status: "open" },
      select: {
        id: true,
        type: true,
        rule: true,
        severity: true,
        message: true,
        line: true,
        repositoryId: true,
        repository: { select: { name: true } },
        specId: true,
        spec: { select: { path: true, owners: true } },
      },
    });
    for (const f of findings) {
      await emitNotification({
        type: "finding.opened",
        repositoryId: f.repositoryId,
        path: f.spec?.path,
        teams: teamOwners(f.spec?.owners ?? []),
        data: {
          findingId: f.id,
          findingType: f.type,
          rule: f.rule,
          severity: f.severity,
          message: f.message,
          line: f.line,
          repositoryId: f.repositoryId,
          repository: f.repository?.name,
          specId: f.specId,
          path: f.spec?.path,
        },
      });
    }
  } catch (error) {
    console.error("[notifications] could not emit finding.opened", error);
  }
}

/**
 * import.failed for a repository's failed import. Receivers are outside the server (a team's
 * chat): the cause goes as one line without credentials or the server's paths, not git's raw text.
 */
export async function emitImportFailed(repositoryId: string, importId: string, error: string): Promise<void> {
  const repository = await db.repository.findUnique({ where: { id: repositoryId }, select: { name: true } }).catch(() => null);
  await emitNotification({
    type: "import.failed",
    repositoryId,
    data: { importId, repositoryId, repository: repository?.name, error: publicCause(redactText(error)) },
  });
}

/** deployment.recorded; `repository` is the repository name the deployment named, if any. */
export async function emitDeploymentRecorded(
  deployment: { id: string; service: string; environment: string; version: string },
  repository: string | undefined,
  by: string,
): Promise<void> {
  const repo = repository ? await db.repository.findUnique({ where: { name: repository }, select: { id: true } }).catch(() => null) : null;
  await emitNotification({
    type: "deployment.recorded",
    repositoryId: repo?.id,
    data: { deploymentId: deployment.id, service: deployment.service, environment: deployment.environment, version: deployment.version, repository, by },
  });
}

/** gate.denied: can-i-deploy answered no. */
export async function emitGateDenied(
  answer: { service: string; version: string; environment: string; reasons: { code: string; message: string }[] },
  by: string,
) {
  await emitNotification({
    type: "gate.denied",
    data: {
      service: answer.service,
      version: answer.version,
      environment: answer.environment,
      reasons: answer.reasons.map((r) => r.code).join(", "),
      details: answer.reasons,
      by,
    },
  });
}

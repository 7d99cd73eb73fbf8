import { z } from "zod";
import { allows, assertCan, type Viewer } from "@/lib/auth/permissions";
import { classifyContractChange } from "@/lib/contracts";
import { db } from "@/lib/db";
import { pgPool } from "@/lib/db/pg";
import { AppError } from "@/lib/errors";
import { resolveRefs } from "@/lib/specs/refs";
import { text } from "@/lib/schema";

// can-i-deploy (docs/decisions/017-gate-and-waivers.md). The question is about one version of
// a service going to one environment. What shaped the version is the union of every record
// of it, in any environment (a version is built once and deployed to several); the target
// environment's own policy decides: whether it lets unreviewed specs through, and its waivers.

export interface GateVersion {
  id: string;
  repository: string;
  path: string;
  seq: number;
  commit: string;
  reviewState: string;
  /** The change that reviews this version, if any. */
  change: number | null;
  current: boolean;
  /** A newer approved version of the same spec was marked breaking. */
  supersededByBreaking: number | null;
  /**
   * Open error findings on this content (only the spec's current version has findings, since
   * they describe what the repository holds now). Acknowledged and dismissed ones do not block.
   */
  blockingFindings?: { id: string; rule: string; message: string }[];
  /** For a contract: how this version breaks its consumers against the version before it ("1 breaking: …"). */
  breakingChanges?: string | null;
}

export type GateReasonCode =
  "unknown-provenance" | "rejected" | "proposed" | "unreviewed" | "superseded-breaking" | "unapproved-breaking" | "blocking-finding" | "unresolved";

export interface GateReason {
  code: GateReasonCode;
  /** What is wrong and what to do about it, as a release manager reads it. */
  message: string;
  /** The "what to do" part alone. */
  action: string;
  version?: { id: string; repository: string; path: string; seq: number; commit: string };
}

export interface GateWaiverView {
  id: string;
  by: string;
  reason: string;
  expiresAt: string;
}

export interface GateSubject {
  service: string;
  version: string;
  environment: string;
}

/** The one-line hint every "no" ends with. */
export const WAIVER_HINT = "If it must ship anyway, an admin can record a waiver (specledger waiver create, or the Deployments page).";

/**
 * The gate as a pure function: no when nothing records what shaped the version (unknown
 * provenance), or when any spec version behind it is rejected, still proposed, never approved
 * (unless the environment allows it), superseded by a newer version approved as breaking, has
 * an open error finding, or cannot be resolved at all. It never answers yes about what it did not check.
 */
export function evaluateGate(input: {
  subject: GateSubject;
  versions: GateVersion[];
  unresolved: { reference: string; proposal: number | null }[];
  allowUnreviewed: boolean;
}): { ok: boolean; reasons: GateReason[] } {
  const { service, version: release, environment } = input.subject;
  const reasons: GateReason[] = [];
  const add = (code: GateReasonCode, problem: string, action: string, version?: GateReason["version"]) =>
    reasons.push({ code, message: `${problem} ${action}`, action, ...(version ? { version } : {}) });
  if (input.versions.length === 0 && input.unresolved.length === 0) {
    add(
      "unknown-provenance",
      `Nothing records which specs shaped ${service} ${release}: its provenance is unknown.`,
      `Record the runs that built ${release} with \`specledger run report\` and name them in \`specledger deploy record --run\`, or record it with --commit and --repository so the commit's specs become its baseline.`,
    );
  }
  const seen = new Set<string>();
  for (const v of input.versions) {
    if (seen.has(v.id)) continue;
    seen.add(v.id);
    const version = { id: v.id, repository: v.repository, path: v.path, seq: v.seq, commit: v.commit };
    const name = `${v.repository}:${v.path} version ${v.seq} (commit ${v.commit.slice(0, 7)})`;
    const change = v.change !== null ? `change #${v.change}` : null;
    // A contract version that breaks its consumers is never let through unapproved, whatever the environment allows.
    if (v.breakingChanges && v.reviewState !== "approved" && v.reviewState !== "rejected") {
      add(
        "unapproved-breaking",
        `${name} changes its contract in ways that break consumers, and nobody approved it (${v.breakingChanges}).`,
        `${change ? `Have the contract's owners approve ${change}` : "Get it approved by the contract's owners"}, then ask again.`,
        version,
      );
    } else if (v.reviewState === "rejected") {
      add(
        "rejected",
        `${name} was rejected in review${change ? ` (${change})` : ""}.`,
        `Get a corrected version approved and rebuild ${service} on it.`,
        version,
      );
    } else if (v.reviewState === "proposed") {
      add("proposed", `${name} is still proposed, not approved.`, change ? `Approve ${change}, then ask again.` : "Get it approved, then ask again.", version);
    } else if (v.reviewState === "unreviewed" && !input.allowUnreviewed) {
      add(
        "unreviewed",
        `${name} was never approved.`,
        `${change ? `Approve ${change}` : "Get it approved"}, or ask an admin to let unreviewed specs through to ${environment}.`,
        version,
      );
    } else if (v.reviewState === "superseded" && !input.allowUnreviewed) {
      // Superseded means a newer version came before anyone approved this one: it cannot be approved any more.
      add(
        "unreviewed",
        `${name} was never approved, and a newer version superseded it first.`,
        `Rebuild ${service} on the spec's current approved version.`,
        version,
      );
    }
    for (const finding of v.blockingFindings ?? []) {
      add(
        "blocking-finding",
        `${name} has an open error finding (${finding.rule}): ${finding.message}`,
        `Fix it in the repository, or have a reviewer acknowledge or dismiss finding ${finding.id} with a reason.`,
        version,
      );
    }
    if (v.supersededByBreaking !== null) {
      add(
        "superseded-breaking",
        `${name} was replaced by version ${v.supersededByBreaking}, approved as a breaking change.`,
        `Rebuild ${service} ${release} on version ${v.supersededByBreaking}.`,
        version,
      );
    }
  }
  const seenRefs = new Set<string>();
  for (const u of input.unresolved) {
    if (seenRefs.has(u.reference)) continue;
    seenRefs.add(u.reference);
    if (u.proposal !== null)
      add("proposed", `${u.reference} is the content of proposal #${u.proposal}, which is not approved.`, `Approve change #${u.proposal}, then ask again.`);
    else
      add(
        "unresolved",
        `${u.reference} does not match any spec version Specledger has imported.`,
        "Import the commit that holds it (Specledger versions the default branch), or correct the reference in the run report or deployment record.",
      );
  }
  return { ok: reasons.length === 0, reasons };
}

/**
 * A waiver turns a "no" into a "yes" that says so, and still lists what it waived. It changes
 * nothing when the answer is yes already, or when it is not active (the caller passes only an
 * active one).
 */
export function applyWaiver(
  subject: GateSubject,
  result: { ok: boolean; reasons: GateReason[] },
  waiver: GateWaiverView | null,
): { ok: boolean; reasons: GateReason[]; waivedBy: GateWaiverView | null; summary: string } {
  const { service, version, environment } = subject;
  if (result.ok) return { ...result, waivedBy: null, summary: `Yes: ${service} ${version} may go to ${environment}.` };
  if (waiver) {
    return {
      ok: true,
      reasons: result.reasons,
      waivedBy: waiver,
      summary: `Yes, by waiver ${waiver.id} from ${waiver.by}: ${waiver.reason}, until ${waiver.expiresAt}. Waived: ${result.reasons.length} reason${result.reasons.length === 1 ? "" : "s"}.`,
    };
  }
  return {
    ok: false,
    reasons: result.reasons,
    waivedBy: null,
    summary: `No: ${service} ${version} may not go to ${environment} (${result.reasons.length} reason${result.reasons.length === 1 ? "" : "s"}).`,
  };
}

const name = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\w.@/:+-]+$/, "Letters, digits and . _ - @ / : + only.");

export const gateQuerySchema = z.object({
  service: name,
  version: text().min(1).max(200),
  environment: name,
  allowUnreviewed: z.enum(["true", "false"]).optional(),
});

// What the gate reads about a resolved version: its place, its review state, whether it is current.
const VERSION_STATE_COLUMNS = `v.id, rp.name AS repository, v.path AS "versionPath", v.seq,
       v."commitSha" AS "versionCommit", c.number AS change,
       coalesce(c.state::text, CASE WHEN s."currentHash" = v."contentHash" THEN 'unreviewed' ELSE 'superseded' END) AS "reviewState",
       s."currentHash" IS NOT DISTINCT FROM v."contentHash" AS current`;
const VERSION_STATE_JOINS = `LEFT JOIN "Spec" s ON s.id = v."specId"
LEFT JOIN "Repository" rp ON rp.id = s."repositoryId"
LEFT JOIN "Change" c ON c."versionId" = v.id`;

/** Every reference behind every record of (service, version), once each, with the version it resolved to. */
const REFS_SQL = `
WITH deps AS (SELECT id FROM "Deployment" WHERE service = $1 AND version = $2),
refs AS (
  SELECT x."contentHash", x."repositoryName", x.path, x."commitSha", x."specVersionId"
  FROM "RunSpecRef" x WHERE x."runId" IN (SELECT dr."runId" FROM "DeploymentRun" dr WHERE dr."deploymentId" IN (SELECT id FROM deps))
  UNION
  SELECT x."contentHash", x."repositoryName", x.path, x."commitSha", x."specVersionId"
  FROM "DeploymentSpecRef" x WHERE x."deploymentId" IN (SELECT id FROM deps) AND x.source <> 'run')
SELECT refs."contentHash", refs."repositoryName", refs.path, refs."commitSha", ${VERSION_STATE_COLUMNS}
FROM refs
LEFT JOIN "SpecVersion" v ON v.id = refs."specVersionId"
${VERSION_STATE_JOINS}`;

const VERSIONS_SQL = `SELECT ${VERSION_STATE_COLUMNS} FROM "SpecVersion" v ${VERSION_STATE_JOINS} WHERE v.id = ANY($1::text[])`;

type RefRow = {
  contentHash: string | null;
  repositoryName: string | null;
  path: string | null;
  commitSha: string | null;
  id: string | null;
  repository: string | null;
  versionPath: string | null;
  seq: number | null;
  versionCommit: string | null;
  change: number | null;
  reviewState: string;
  current: boolean;
};

export interface GateAnswer {
  ok: boolean;
  summary: string;
  service: string;
  version: string;
  environment: string;
  allowUnreviewed: boolean;
  checked: number;
  reasons: GateReason[];
  waivedBy: GateWaiverView | null;
  /** Where the version was recorded; the provenance is the union of these. */
  recordedIn: string[];
  /** The record the answer is shown against: the one in the target environment if any, else the newest. */
  deployment: { id: string; environment: string };
}

/** can-i-deploy: may this version of the service go to the environment? */
export async function canIDeploy(viewer: Viewer, query: z.infer<typeof gateQuerySchema>): Promise<GateAnswer> {
  assertCan(viewer, "deployments:read");
  const subject = { service: query.service, version: query.version, environment: query.environment };
  const records = await db.deployment.findMany({
    where: { service: query.service, version: query.version },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    select: { id: true, environment: { select: { name: true } } },
  });
  if (records.length === 0) {
    throw new AppError(
      "not_found",
      `Specledger knows no version ${query.version} of ${query.service}: record it (specledger deploy record) where it was built or tested first.`,
    );
  }
  const environment = await db.environment.findUnique({ where: { name: query.environment }, select: { allowUnreviewed: true } });
  const environmentAllows = environment?.allowUnreviewed ?? false;
  const allowUnreviewed = query.allowUnreviewed ? query.allowUnreviewed === "true" : environmentAllows;
  // Anyone may ask for a stricter answer; a looser one than the environment's is an admin's call.
  if (allowUnreviewed && !environmentAllows && !allows(viewer, "policies:manage")) {
    throw new AppError("forbidden", `${query.environment} requires reviewed specs; only an admin may ask to let unreviewed ones through.`);
  }

  const { rows: recorded } = await pgPool().query<RefRow>({ name: "gate-refs", text: REFS_SQL, values: [query.service, query.version] });
  const refs = await resolveLate(recorded);
  const resolved = refs.filter((r) => r.id !== null);
  const ids = [...new Set(resolved.map((r) => r.id!))];
  const breaking = ids.length
    ? await db.$queryRaw<{ id: string; seq: number }[]>`
        SELECT old.id, min(newer.seq)::int AS seq
        FROM "SpecVersion" old
        JOIN "SpecVersion" newer ON newer."specId" = old."specId" AND newer.seq > old.seq
        JOIN "Change" c ON c."versionId" = newer.id AND c.state = 'approved'
        JOIN "ReviewDecision" d ON d."changeId" = c.id AND d.breaking
        WHERE old.id = ANY(${ids}::text[])
        GROUP BY old.id`
    : [];
  const breakingOf = new Map(breaking.map((b) => [b.id, b.seq]));
  const contractBreaks = await unapprovedContractBreaks(resolved.filter((r) => r.reviewState !== "approved" && r.reviewState !== "rejected").map((r) => r.id!));
  // Findings describe what a repository holds now, so they concern the versions that are current.
  const currentSpecs = [...new Set(resolved.filter((r) => r.current).map((r) => r.id!))];
  const blocking = currentSpecs.length
    ? await db.$queryRaw<{ versionId: string; id: string; rule: string; message: string }[]>`
        SELECT v.id AS "versionId", f.id, f.rule, f.message
        FROM "SpecVersion" v JOIN "Finding" f ON f."specId" = v."specId"
        WHERE v.id = ANY(${currentSpecs}::text[]) AND f.status = 'open' AND f.severity = 'error'
        ORDER BY f."firstSeenAt", f.id`
    : [];
  const blockingOf = new Map<string, { id: string; rule: string; message: string }[]>();
  for (const b of blocking) blockingOf.set(b.versionId, [...(blockingOf.get(b.versionId) ?? []), { id: b.id, rule: b.rule, message: b.message }]);
  const unresolvedRefs = refs.filter((r) => r.id === null);
  const skipped = await skippedFiles(unresolvedRefs);
  const hashes = [...new Set(unresolvedRefs.map((r) => r.contentHash).filter((h): h is string => !!h))];
  const proposals = hashes.length
    ? await db.change.findMany({
        where: { origin: "proposal", revisions: { some: { contentHash: { in: hashes } } } },
        select: { number: true, currentHash: true, state: true },
      })
    : [];
  const result = evaluateGate({
    subject,
    versions: resolved.map((r) => ({
      id: r.id!,
      repository: r.repository!,
      path: r.versionPath!,
      seq: r.seq!,
      commit: r.versionCommit!,
      reviewState: r.reviewState,
      change: r.change,
      current: r.current,
      supersededByBreaking: breakingOf.get(r.id!) ?? null,
      blockingFindings: blockingOf.get(r.id!) ?? [],
      breakingChanges: contractBreaks.get(r.id!) ?? null,
    })),
    unresolved: unresolvedRefs.map((r) => {
      const proposal = r.contentHash ? proposals.find((p) => p.currentHash === r.contentHash && p.state !== "approved") : undefined;
      const why = r.repositoryName && r.path ? skipped.get(`${r.repositoryName}\0${r.path}`) : undefined;
      const reference = r.contentHash
        ? `The content sha256:${r.contentHash.slice(0, 12)}`
        : `${r.repositoryName}:${r.path}@${r.commitSha?.slice(0, 7)}${why ? ` (a file the import skipped: ${why})` : ""}`;
      return { reference, proposal: proposal?.number ?? null };
    }),
    allowUnreviewed,
  });
  const waiver = result.ok ? null : await activeWaiver(subject);
  const answer = applyWaiver(subject, result, waiver);
  const shown = records.find((r) => r.environment.name === query.environment) ?? records[0];
  return {
    ok: answer.ok,
    summary: answer.summary,
    service: query.service,
    version: query.version,
    environment: query.environment,
    allowUnreviewed,
    checked: ids.length + new Set(unresolvedRefs.map((r) => `${r.contentHash}\0${r.repositoryName}\0${r.path}\0${r.commitSha}`)).size,
    reasons: answer.reasons,
    waivedBy: answer.waivedBy,
    recordedIn: [...new Set(records.map((r) => r.environment.name))].sort(),
    deployment: { id: shown.id, environment: shown.environment.name },
  };
}

/** For unapproved contract versions: how each breaks its consumers against the version before it. */
async function unapprovedContractBreaks(versionIds: string[]): Promise<Map<string, string>> {
  const breaks = new Map<string, string>();
  if (versionIds.length === 0) return breaks;
  const rows = await db.$queryRaw<{ id: string; path: string; text: string; previous: string | null }[]>`
    SELECT v.id, v.path, c.text, pc.text AS previous
    FROM "SpecVersion" v
    JOIN "Spec" s ON s.id = v."specId" AND s.kind = 'contract'
    JOIN "Content" c ON c.hash = v."contentHash"
    LEFT JOIN LATERAL (
      SELECT p."contentHash" FROM "SpecVersion" p WHERE p."specId" = v."specId" AND p.seq < v.seq ORDER BY p.seq DESC LIMIT 1
    ) prev ON true
    LEFT JOIN "Content" pc ON pc.hash = prev."contentHash"
    WHERE v.id = ANY(${versionIds}::text[])`;
  for (const row of rows) {
    if (row.previous === null) continue;
    const classified = classifyContractChange({ kind: "contract", path: row.path, oldText: row.previous, newText: row.text });
    if (classified?.summary) breaks.set(row.id, classified.summary);
  }
  return breaks;
}

/** The newest waiver for exactly this (service, version, environment) that has not expired and is not revoked. */
async function activeWaiver(subject: GateSubject): Promise<GateWaiverView | null> {
  const w = await db.gateWaiver.findFirst({
    where: { service: subject.service, version: subject.version, environment: subject.environment, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
  });
  if (!w) return null;
  const by = await db.user.findUnique({ where: { id: w.createdById }, select: { email: true } });
  return { id: w.id, by: by?.email ?? "a deleted user", reason: w.reason, expiresAt: w.expiresAt.toISOString() };
}

/**
 * References still unresolved are tried again on every question: an import since the record
 * may hold their bytes now (a deployment recorded just before its commit was imported). The
 * stored reference stays as recorded (references are immutable); what cannot be resolved
 * stays unresolved, and the gate says no about it.
 */
async function resolveLate(rows: RefRow[]): Promise<RefRow[]> {
  const pending = rows.filter((r) => r.id === null && (r.contentHash || (r.repositoryName && r.path && r.commitSha)));
  if (pending.length === 0) return rows;
  const client = await pgPool().connect();
  try {
    const resolved = await resolveRefs(
      client,
      pending.map((r) => ({ ref: r.contentHash ? { contentHash: r.contentHash } : { repository: r.repositoryName!, path: r.path!, commit: r.commitSha! } })),
    );
    const ids = [...new Set(resolved.map((r) => r.specVersionId).filter((id): id is string => id !== null))];
    if (ids.length === 0) return rows;
    const { rows: states } = await client.query<RefRow>(VERSIONS_SQL, [ids]);
    const stateOf = new Map(states.map((s) => [s.id!, s]));
    const lateOf = new Map(pending.map((r, i) => [r, resolved[i].specVersionId]));
    return rows.map((r) => {
      const id = lateOf.get(r);
      const state = id ? stateOf.get(id) : undefined;
      return state ? { ...state, contentHash: r.contentHash, repositoryName: r.repositoryName, path: r.path, commitSha: r.commitSha } : r;
    });
  } finally {
    client.release();
  }
}

/** Why the import skipped the files unresolved references name, where it did: the gate's answer says so. */
async function skippedFiles(refs: RefRow[]): Promise<Map<string, string>> {
  const named = refs.filter((r) => r.repositoryName && r.path);
  if (named.length === 0) return new Map();
  const { rows } = await pgPool().query<{ repository: string; path: string; reason: string; detail: string }>(
    `SELECT DISTINCT ON (r.name, f.path) r.name AS repository, f.path, f.reason, f.detail
     FROM unnest($1::text[], $2::text[]) AS t(repo, path)
     JOIN "Repository" r ON r.name = t.repo
     JOIN "SkippedFile" f ON f."repositoryId" = r.id AND f.path = t.path
     ORDER BY r.name, f.path, f."createdAt" DESC`,
    [named.map((r) => r.repositoryName), named.map((r) => r.path)],
  );
  return new Map(rows.map((r) => [`${r.repository}\0${r.path}`, r.detail ? `${r.reason}, ${r.detail}` : r.reason]));
}

import { z } from "zod";
import { allows, assertCan, type Viewer } from "@/lib/auth/permissions";
import { classifyContractChange } from "@/lib/contracts";
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

/**
 * Everything can-i-deploy reads, in one statement (decision 041): the records of (service,
 * version), the target environment's policy, every reference behind the records once each with
 * the version it resolved to, and per version what can make it a "no" (a newer version approved
 * as breaking, open error findings while it is current, a contract's text and its previous
 * version's when it is unapproved), the unapproved proposals unresolved content hashes belong to,
 * and the newest active waiver. One snapshot, one round trip, every lookup by an index.
 * $1 service, $2 version, $3 environment, $4 the time waivers must outlive, $5 versions that
 * unresolved references resolve to now (resolveLate).
 */
const GATE_SQL = `
WITH records AS (
  SELECT d.id, d."createdAt", e.name AS environment
  FROM "Deployment" d JOIN "Environment" e ON e.id = d."environmentId"
  WHERE d.service = $1 AND d.version = $2),
refs AS (
  SELECT x."contentHash", x."repositoryName", x.path, x."commitSha", x."specVersionId"
  FROM "RunSpecRef" x WHERE x."runId" IN (SELECT dr."runId" FROM "DeploymentRun" dr WHERE dr."deploymentId" IN (SELECT id FROM records))
  UNION
  SELECT x."contentHash", x."repositoryName", x.path, x."commitSha", x."specVersionId"
  FROM "DeploymentSpecRef" x WHERE x."deploymentId" IN (SELECT id FROM records) AND x.source <> 'run'),
versions AS (
  SELECT v.id, v."specId", v.seq, v.path, v."commitSha", v."contentHash", rp.name AS repository, s.kind, c.number AS change,
         coalesce(c.state::text, CASE WHEN s."currentHash" = v."contentHash" THEN 'unreviewed' ELSE 'superseded' END) AS "reviewState",
         s."currentHash" IS NOT DISTINCT FROM v."contentHash" AS current
  FROM "SpecVersion" v JOIN "Spec" s ON s.id = v."specId" JOIN "Repository" rp ON rp.id = s."repositoryId"
  LEFT JOIN "Change" c ON c."versionId" = v.id
  WHERE v.id IN (SELECT "specVersionId" FROM refs) OR v.id = ANY($5::text[])),
unresolved AS (SELECT DISTINCT "contentHash", "repositoryName", path, "commitSha" FROM refs WHERE "specVersionId" IS NULL)
SELECT
  (SELECT json_agg(json_build_object('id', id, 'environment', environment) ORDER BY "createdAt" DESC, id) FROM records) AS records,
  (SELECT "allowUnreviewed" FROM "Environment" WHERE name = $3) AS "environmentAllows",
  coalesce((
    SELECT json_agg(json_build_object(
      'id', v.id, 'repository', v.repository, 'path', v.path, 'seq', v.seq, 'commit', v."commitSha", 'change', v.change,
      'reviewState', v."reviewState", 'current', v.current,
      'supersededByBreaking', (
        SELECT min(newer.seq) FROM "SpecVersion" newer JOIN "Change" nc ON nc."versionId" = newer.id AND nc.state = 'approved'
        WHERE newer."specId" = v."specId" AND newer.seq > v.seq AND EXISTS (SELECT 1 FROM "ReviewDecision" d WHERE d."changeId" = nc.id AND d.breaking)),
      'blockingFindings', CASE WHEN v.current THEN coalesce((
        SELECT json_agg(json_build_object('id', f.id, 'rule', f.rule, 'message', f.message) ORDER BY f."firstSeenAt", f.id)
        FROM "Finding" f WHERE f."specId" = v."specId" AND f.status = 'open' AND f.severity = 'error'), '[]') ELSE '[]' END,
      'contract', CASE WHEN v.kind = 'contract' AND v."reviewState" NOT IN ('approved', 'rejected') THEN (
        SELECT json_build_object('text', ct.text, 'previous', (
          SELECT pc.text FROM "SpecVersion" p JOIN "Content" pc ON pc.hash = p."contentHash"
          WHERE p."specId" = v."specId" AND p.seq < v.seq ORDER BY p.seq DESC LIMIT 1))
        FROM "Content" ct WHERE ct.hash = v."contentHash") END
    ) ORDER BY v.repository, v.path, v.seq, v.id) FROM versions v), '[]') AS versions,
  coalesce((
    SELECT json_agg(json_build_object(
      'contentHash', u."contentHash", 'repositoryName', u."repositoryName", 'path', u.path, 'commitSha', u."commitSha",
      'proposal', CASE WHEN u."contentHash" IS NOT NULL THEN (
        SELECT c.number FROM "Change" c
        WHERE c.origin = 'proposal' AND c."currentHash" = u."contentHash" AND c.state <> 'approved'
          AND EXISTS (SELECT 1 FROM "ChangeRevision" r WHERE r."changeId" = c.id AND r."contentHash" IN (SELECT "contentHash" FROM unresolved))
        ORDER BY c.number LIMIT 1) END,
      'skipped', CASE WHEN u.path IS NOT NULL THEN (
        SELECT f.reason || CASE WHEN f.detail <> '' THEN ', ' || f.detail ELSE '' END
        FROM "Repository" r JOIN "SkippedFile" f ON f."repositoryId" = r.id AND f.path = u.path
        WHERE r.name = u."repositoryName" ORDER BY f."createdAt" DESC LIMIT 1) END
    ) ORDER BY u."contentHash", u."repositoryName", u.path, u."commitSha") FROM unresolved u), '[]') AS unresolved,
  (SELECT json_build_object('id', w.id, 'by', coalesce(u.email, 'a deleted user'), 'reason', w.reason, 'expiresAt', to_char(w."expiresAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
   FROM "GateWaiver" w LEFT JOIN "User" u ON u.id = w."createdById"
   WHERE w.service = $1 AND w.version = $2 AND w.environment = $3 AND w."revokedAt" IS NULL AND w."expiresAt" > ($4::timestamptz AT TIME ZONE 'UTC')
   ORDER BY w."createdAt" DESC, w.id LIMIT 1) AS waiver`;

type UnresolvedRow = {
  contentHash: string | null;
  repositoryName: string | null;
  path: string | null;
  commitSha: string | null;
  proposal: number | null;
  /** Why the import skipped the file at this path, when it did. */
  skipped: string | null;
};

type GateRow = {
  records: { id: string; environment: string }[] | null;
  environmentAllows: boolean | null;
  versions: (Omit<GateVersion, "blockingFindings" | "breakingChanges"> & {
    blockingFindings: { id: string; rule: string; message: string }[];
    contract: { text: string; previous: string | null } | null;
  })[];
  unresolved: UnresolvedRow[];
  waiver: GateWaiverView | null;
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

/** can-i-deploy: may this version of the service go to the environment? One statement (GATE_SQL), then pure logic. */
export async function canIDeploy(viewer: Viewer, query: z.infer<typeof gateQuerySchema>): Promise<GateAnswer> {
  assertCan(viewer, "deployments:read");
  const subject = { service: query.service, version: query.version, environment: query.environment };
  const now = new Date().toISOString();
  // Named: each connection plans the statement once.
  const ask = async (late: string[]) =>
    (await pgPool().query<GateRow>({ name: "gate", text: GATE_SQL, values: [query.service, query.version, query.environment, now, late] })).rows[0];
  let row = await ask([]);
  if (row.unresolved.length > 0) {
    // Rare: asked again only when an unresolved reference resolves now.
    const late = await resolveLate(row.unresolved);
    if (late.size > 0) {
      const again = await ask([...new Set(late.values())]);
      row = { ...again, unresolved: again.unresolved.filter((u) => !late.has(refKey(u))) };
    }
  }
  const records = row.records ?? [];
  if (records.length === 0) {
    throw new AppError(
      "not_found",
      `Specledger knows no version ${query.version} of ${query.service}: record it (specledger deploy record) where it was built or tested first.`,
    );
  }
  const environmentAllows = row.environmentAllows ?? false;
  const allowUnreviewed = query.allowUnreviewed ? query.allowUnreviewed === "true" : environmentAllows;
  // Anyone may ask for a stricter answer; a looser one than the environment's is an admin's call.
  if (allowUnreviewed && !environmentAllows && !allows(viewer, "policies:manage")) {
    throw new AppError("forbidden", `${query.environment} requires reviewed specs; only an admin may ask to let unreviewed ones through.`);
  }
  const result = evaluateGate({
    subject,
    versions: row.versions.map(({ contract, ...v }) => ({ ...v, breakingChanges: contract ? contractBreak(v.path, contract) : null })),
    unresolved: row.unresolved.map((r) => ({
      reference: r.contentHash
        ? `The content sha256:${r.contentHash.slice(0, 12)}`
        : `${r.repositoryName}:${r.path}@${r.commitSha?.slice(0, 7)}${r.skipped ? ` (a file the import skipped: ${r.skipped})` : ""}`,
      proposal: r.proposal,
    })),
    allowUnreviewed,
  });
  const answer = applyWaiver(subject, result, result.ok ? null : row.waiver);
  const shown = records.find((r) => r.environment === query.environment) ?? records[0];
  return {
    ok: answer.ok,
    summary: answer.summary,
    service: query.service,
    version: query.version,
    environment: query.environment,
    allowUnreviewed,
    checked: row.versions.length + row.unresolved.length,
    reasons: answer.reasons,
    waivedBy: answer.waivedBy,
    recordedIn: [...new Set(records.map((r) => r.environment))].sort(),
    deployment: { id: shown.id, environment: shown.environment },
  };
}

/** How an unapproved contract version breaks its consumers against the version before it ("1 breaking: …"), or null. */
function contractBreak(path: string, contract: { text: string; previous: string | null }): string | null {
  if (contract.previous === null) return null;
  return classifyContractChange({ kind: "contract", path, oldText: contract.previous, newText: contract.text })?.summary || null;
}

const refKey = (r: UnresolvedRow) => `${r.contentHash}\0${r.repositoryName}\0${r.path}\0${r.commitSha}`;

/**
 * References still unresolved are tried again on every question: an import since the record
 * may hold their bytes now (a deployment recorded just before its commit was imported). The
 * stored reference stays as recorded (references are immutable); what cannot be resolved
 * stays unresolved, and the gate says no about it. Returns reference key → version id.
 */
async function resolveLate(unresolved: UnresolvedRow[]): Promise<Map<string, string>> {
  const refs = unresolved.filter((r) => r.contentHash || (r.repositoryName && r.path && r.commitSha));
  if (refs.length === 0) return new Map();
  const client = await pgPool().connect();
  try {
    const resolved = await resolveRefs(
      client,
      refs.map((r) => ({ ref: r.contentHash ? { contentHash: r.contentHash } : { repository: r.repositoryName!, path: r.path!, commit: r.commitSha! } })),
    );
    return new Map(refs.flatMap((r, i) => (resolved[i].specVersionId ? [[refKey(r), resolved[i].specVersionId!] as const] : [])));
  } finally {
    client.release();
  }
}

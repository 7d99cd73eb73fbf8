import { z } from "zod";
import { text } from "@/lib/schema";
import { allows, assertCan } from "@/lib/auth/permissions";
import { db, type Role } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { getDeploymentProvenance } from "./index";

type Viewer = { id: string; email: string; role: Role; scopes?: readonly string[] };

export interface GateVersion {
  id: string;
  repository: string;
  path: string;
  seq: number;
  reviewState: string;
  current: boolean;
  /** A newer approved version of the same spec was marked breaking. */
  supersededByBreaking: number | null;
}

export interface GateReason {
  code: "rejected" | "proposed" | "unreviewed" | "superseded-breaking" | "unresolved";
  message: string;
  version?: { id: string; repository: string; path: string; seq: number };
}

/**
 * The gate as a pure function: no when any spec version behind the deployment is rejected,
 * still proposed, never approved (unreviewed, or superseded before anyone approved it;
 * unless allowed), superseded by a newer approved version marked breaking, or cannot be
 * resolved at all (it fails closed).
 */
export function evaluateGate(input: {
  versions: GateVersion[];
  unresolved: { reference: string; proposal: number | null }[];
  allowUnreviewed: boolean;
}): { ok: boolean; reasons: GateReason[] } {
  const reasons: GateReason[] = [];
  const seen = new Set<string>();
  for (const v of input.versions) {
    if (seen.has(v.id)) continue;
    seen.add(v.id);
    const version = { id: v.id, repository: v.repository, path: v.path, seq: v.seq };
    const name = `${v.repository}:${v.path} version ${v.seq}`;
    if (v.reviewState === "rejected") reasons.push({ code: "rejected", message: `${name} was rejected in review.`, version });
    else if (v.reviewState === "proposed") reasons.push({ code: "proposed", message: `${name} is still proposed, not approved.`, version });
    else if ((v.reviewState === "unreviewed" || v.reviewState === "superseded") && !input.allowUnreviewed) {
      // Superseded means a newer version came before anyone approved this one.
      reasons.push({ code: "unreviewed", message: `${name} was never approved${v.reviewState === "superseded" ? " (a newer version superseded it first)" : ""}.`, version });
    }
    if (v.supersededByBreaking !== null) {
      reasons.push({ code: "superseded-breaking", message: `${name} is superseded by version ${v.supersededByBreaking}, approved as a breaking change.`, version });
    }
  }
  for (const u of input.unresolved) {
    reasons.push(
      u.proposal !== null
        ? { code: "proposed", message: `${u.reference} is the content of proposal #${u.proposal}, which is not approved.` }
        : { code: "unresolved", message: `${u.reference} does not match any imported spec version.` },
    );
  }
  return { ok: reasons.length === 0, reasons };
}

export const gateQuerySchema = z.object({
  service: text().min(1).max(200),
  version: text().min(1).max(200),
  environment: text().min(1).max(200),
  allowUnreviewed: z.enum(["true", "false"]).optional(),
});

/** can-i-deploy: may this version of the service go to the environment? */
export async function canIDeploy(viewer: Viewer, query: z.infer<typeof gateQuerySchema>) {
  assertCan(viewer, "deployments:read");
  const record = await db.deployment.findFirst({
    where: { service: query.service, version: query.version },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  if (!record) {
    throw new AppError("not_found", `Specledger knows no version ${query.version} of ${query.service}: record it (specledger deploy record) where it was built or tested first.`);
  }
  const environment = await db.environment.findUnique({ where: { name: query.environment } });
  const provenance = await getDeploymentProvenance(viewer, record.id);
  const refs = [...provenance.direct, ...provenance.baseline, ...provenance.runs.flatMap((r) => r.refs)];
  const versions = refs.filter((r) => r.version).map((r) => r.version!);
  const ids = [...new Set(versions.map((v) => v.id))];
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
  const unresolvedRefs = refs.filter((r) => !r.version);
  const hashes = unresolvedRefs.map((r) => ("contentHash" in r.reference ? r.reference.contentHash : null)).filter((h): h is string => !!h);
  const proposals = hashes.length
    ? await db.change.findMany({ where: { origin: "proposal", revisions: { some: { contentHash: { in: hashes } } } }, select: { number: true, currentHash: true, state: true } })
    : [];
  const environmentAllows = environment?.allowUnreviewed ?? false;
  const allowUnreviewed = query.allowUnreviewed ? query.allowUnreviewed === "true" : environmentAllows;
  // Anyone may ask for a stricter answer; a looser one than the environment's is an admin's call.
  if (allowUnreviewed && !environmentAllows && !allows(viewer, "policies:manage")) {
    throw new AppError("forbidden", `${query.environment} requires reviewed specs; only an admin may ask to let unreviewed ones through.`);
  }
  const result = evaluateGate({
    versions: versions.map((v) => ({ id: v.id, repository: v.repository, path: v.path, seq: v.seq, reviewState: v.reviewState, current: v.current, supersededByBreaking: breakingOf.get(v.id) ?? null })),
    unresolved: unresolvedRefs.map((r) => {
      const hash = "contentHash" in r.reference ? r.reference.contentHash : null;
      const proposal = hash ? proposals.find((p) => p.currentHash === hash && p.state !== "approved") : undefined;
      const reference = hash ? `content sha256:${hash.slice(0, 12)}` : `${r.reference.repository}:${r.reference.path}@${r.reference.commit?.slice(0, 7)}`;
      return { reference, proposal: proposal?.number ?? null };
    }),
    allowUnreviewed,
  });
  return {
    ok: result.ok,
    service: query.service,
    version: query.version,
    environment: query.environment,
    allowUnreviewed,
    checked: ids.length + unresolvedRefs.length,
    reasons: result.reasons,
    deployment: { id: provenance.id, environment: provenance.environment },
  };
}

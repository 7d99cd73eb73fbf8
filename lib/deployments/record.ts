import type pg from "pg";
import { z } from "zod";
import type { RunResult } from "@/lib/audit";
import type { Viewer } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { limitedGit, withGitSlot } from "@/lib/git/limit";
import { gitDirFor, type MirroredRepository } from "@/lib/git/mirror";
import { text, timestamp } from "@/lib/schema";
import { pickRun, type RunCandidate } from "@/lib/runs/namespace";
import { kindRulesHash, sniffChanged, sniffTree, SQL_STORED_CONTRACT_PATHS } from "@/lib/contracts/recognised";
import { bundledBySkill, compileKindRules, kindRulesFromEnv, type SpecKind } from "@/lib/specs/kinds";
import { resolveRefs, specRefSchema } from "@/lib/specs/refs";

const name = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\w.@/:+-]+$/, "Letters, digits and . _ - @ / : + only.");

export const deploymentSchema = z
  .object({
    service: name.describe("The service deployed."),
    environment: name.describe("Where: production, staging, … (created on first use)."),
    version: text().min(1).max(200).describe("The service's version, as your release names it."),
    commit: z
      .string()
      .regex(/^[0-9a-f]{7,64}$/, "commit is a git commit id in lowercase hex.")
      .optional(),
    repository: text().min(1).max(200).optional().describe("The imported repository the commit belongs to: its specs at that commit become the baseline."),
    deployedAt: timestamp().optional(),
    alongside: z.boolean().default(false).describe("Stays live side by side with the current deployments instead of replacing them."),
    runs: z.array(text().min(1).max(200)).max(1000).default([]).describe("Runs behind this version, by id or externalId."),
    specs: z.array(specRefSchema).max(500).default([]).describe("Spec versions named directly."),
  })
  .strict();
export type DeploymentInput = z.output<typeof deploymentSchema>;

export const recordedDeployment = z.object({
  id: z.string(),
  service: z.string(),
  environment: z.string(),
  version: z.string(),
  replaced: z.array(z.object({ id: z.string(), version: z.string() })),
  runs: z.number().int(),
  specs: z.object({ direct: z.number().int(), unresolved: z.number().int(), baseline: z.number().int() }),
  warning: z.string().optional(),
});
export type RecordedDeployment = z.infer<typeof recordedDeployment>;

/**
 * Records a deployment: replaces what was live for the service in that environment (unless
 * it goes alongside), links the runs and spec versions it names, and, when its commit is in
 * an imported repository, the spec versions that commit holds (its baseline). One
 * transaction; idempotent with an Idempotency-Key.
 */
export async function recordDeployment(client: pg.PoolClient, viewer: Viewer, input: DeploymentInput): Promise<RunResult<RecordedDeployment>> {
  const env = await client.query<{ id: string }>(
    `INSERT INTO "Environment" (id, name) VALUES (gen_random_uuid()::text, $1)
     ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
    [input.environment],
  );
  const environmentId = env.rows[0].id;
  const repo = input.repository
    ? (
        await client.query<MirroredRepository & { headCommit: string | null; kindRulesHash: string | null }>(
          `SELECT id, source, credential, "headCommit", "kindRulesHash" FROM "Repository" WHERE name = $1`,
          [input.repository],
        )
      ).rows[0]
    : undefined;
  if (input.repository && !repo) throw new AppError("unprocessable", `No imported repository is named ${input.repository}.`);
  const runIds = await runsNamed(client, viewer, input.runs);

  const deployedAt = input.deployedAt ? new Date(input.deployedAt) : new Date();
  // Lock what is live there, so two deployments to one environment take turns.
  const live = await client.query<{ id: string; version: string }>(
    `SELECT id, version FROM "Deployment" WHERE service = $1 AND "environmentId" = $2 AND "undeployedAt" IS NULL ORDER BY id FOR UPDATE`,
    [input.service, environmentId],
  );
  const replaced = input.alongside ? [] : live.rows;
  if (replaced.length > 0) {
    await client.query(`UPDATE "Deployment" SET "undeployedAt" = $2 WHERE id = ANY($1::text[])`, [replaced.map((d) => d.id), deployedAt]);
  }
  const inserted = await client.query<{ id: string }>(
    `INSERT INTO "Deployment" (id, service, "environmentId", version, "commitSha", "repositoryId", "deployedAt", alongside, "recordedById")
     VALUES (gen_random_uuid()::text, $1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [input.service, environmentId, input.version, input.commit ?? null, repo?.id ?? null, deployedAt, input.alongside, viewer.id],
  );
  const deploymentId = inserted.rows[0].id;
  if (runIds.length > 0) {
    const ids = [...new Set(runIds.map((r) => r.id))];
    await client.query(`INSERT INTO "DeploymentRun" ("deploymentId", "runId") SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`, [deploymentId, ids]);
    // The versions the runs used, once each, for the reverse question.
    await client.query(
      `INSERT INTO "DeploymentSpecRef" ("deploymentId", source, "specVersionId")
       SELECT DISTINCT $1, 'run'::"DeploymentRefSource", x."specVersionId" FROM "RunSpecRef" x
       WHERE x."runId" = ANY($2::text[]) AND x."specVersionId" IS NOT NULL`,
      [deploymentId, ids],
    );
  }
  const direct = await resolveRefs(
    client,
    input.specs.map((ref) => ({ ref, repositoryId: repo?.id ?? null })),
  );
  const baseline = repo && input.commit ? await baselineOf(client, { repository: repo, commit: input.commit }) : null;
  const rows = [
    ...direct.map((r) => ({ source: "direct", ...r })),
    ...(baseline?.versions ?? []).map((v) => ({
      source: "baseline",
      contentHash: null,
      repositoryName: input.repository!,
      path: v.path,
      commitSha: input.commit!,
      specVersionId: v.id,
    })),
  ];
  if (rows.length > 0) {
    await client.query(
      `INSERT INTO "DeploymentSpecRef" ("deploymentId", source, "contentHash", "repositoryName", path, "commitSha", "specVersionId")
       SELECT $1, * FROM unnest($2::"DeploymentRefSource"[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])`,
      [
        deploymentId,
        rows.map((r) => r.source),
        rows.map((r) => r.contentHash),
        rows.map((r) => r.repositoryName),
        rows.map((r) => r.path),
        rows.map((r) => r.commitSha),
        rows.map((r) => r.specVersionId),
      ],
    );
  }
  return {
    audit: {
      action: "deployment.recorded",
      subject: `deployment:${deploymentId}`,
      payload: { service: input.service, environment: input.environment, version: input.version, replaced: replaced.map((d) => d.version) },
    },
    result: {
      id: deploymentId,
      service: input.service,
      environment: input.environment,
      version: input.version,
      replaced: replaced.map((d) => ({ id: d.id, version: d.version })),
      runs: runIds.length,
      specs: {
        direct: direct.length,
        unresolved: rows.filter((r) => !r.specVersionId).length,
        baseline: baseline?.versions.length ?? 0,
      },
      ...(baseline?.warning ? { warning: baseline.warning } : {}),
    },
  };
}

/**
 * The runs a deployment names, by id or externalId: an externalId resolves within the
 * caller's own reports first (decision 018), else to the one reporter that used it.
 */
async function runsNamed(client: pg.PoolClient, viewer: Viewer, refs: string[]): Promise<{ id: string }[]> {
  if (refs.length === 0) return [];
  const { rows } = await client.query<RunCandidate>(
    `SELECT id, "externalId", "reportedById" FROM "AgentRun" WHERE id = ANY($1::text[]) OR "externalId" = ANY($1::text[])`,
    [refs],
  );
  const picks = refs.map((ref) => ({ ref, pick: pickRun(ref, rows, viewer.id) }));
  const missing = picks.filter((p) => p.pick === null).map((p) => p.ref);
  if (missing.length > 0) throw new AppError("unprocessable", `Unknown runs: ${missing.slice(0, 10).join(", ")}${missing.length > 10 ? ", …" : ""}.`);
  const ambiguous = picks.filter((p) => p.pick && "ambiguous" in p.pick).map((p) => p.ref);
  if (ambiguous.length > 0) {
    throw new AppError(
      "unprocessable",
      `Several reporters used these externalIds, none of them you: ${ambiguous.slice(0, 10).join(", ")}. Name those runs by their id.`,
    );
  }
  return picks.map((p) => ({ id: (p.pick as { id: string }).id }));
}

/**
 * The spec versions an imported repository holds at a commit: every governed file in git's
 * tree (the import's own kind rules), matched to a version by path and blob. A governed file
 * that matches no imported version (a branch nobody imported, a file the import skipped) is
 * kept as an unresolved reference, so the gate says no about it instead of never seeing it.
 */
async function baselineOf(
  client: pg.PoolClient,
  opts: { repository: MirroredRepository & { headCommit: string | null; kindRulesHash: string | null }; commit: string },
): Promise<{ versions: { id: string | null; path: string }[]; warning: string | null }> {
  if (!opts.repository.headCommit) return { versions: [], warning: "The repository has not been imported yet; no baseline recorded." };
  let gitDir: string;
  try {
    // Any node can read it: a missing mirror is cloned again from the source (decision 021).
    gitDir = await gitDirFor(opts.repository);
  } catch {
    return { versions: [], warning: "This server cannot read the repository's git data; no baseline recorded." };
  }
  let tree: string;
  try {
    // -z: paths verbatim; without it git quotes non-ASCII paths, which then match nothing.
    tree = await limitedGit([`--git-dir=${gitDir}`, "ls-tree", "-r", "-z", "--full-tree", `${opts.commit}^{commit}`], { timeoutMs: 30_000 });
  } catch {
    return { versions: [], warning: `Commit ${opts.commit} is not in the imported repository (import it first); no baseline recorded.` };
  }
  const classifyName = compileKindRules(kindRulesFromEnv());
  // Contracts recognised by content are governed too (decision 051): those the import stored (deleted
  // ones too: the commit may predate the deletion), and any other the commit's own YAML and JSON declare.
  // Where the import has judged the head with these rules, only what the commit changes against that head
  // is read; otherwise its whole tree. If a file cannot be read, no baseline: the gate must not answer
  // about files it could not tell apart.
  let contracts: Set<string>;
  try {
    const stored = await client.query<{ path: string }>(SQL_STORED_CONTRACT_PATHS, [opts.repository.id]);
    const known = new Set(stored.rows.map((r) => r.path).filter((p) => !classifyName(p)));
    const governed = (p: string) => classifyName(p) || known.has(p);
    const judged = opts.repository.kindRulesHash === kindRulesHash(kindRulesFromEnv());
    // Through the request-time git queue, as the listing above: a burst of deployments waits for a few gits.
    const headCommit = opts.repository.headCommit;
    const sniffed = await withGitSlot(async () =>
      judged ? (await sniffChanged({ gitDir, from: headCommit, to: opts.commit, governed })).paths : await sniffTree(gitDir, tree, governed),
    );
    contracts = new Set([...known, ...sniffed]);
  } catch {
    return { versions: [], warning: `This server could not read the files at ${opts.commit.slice(0, 7)} to recognise contracts; no baseline recorded.` };
  }
  const classify = (path: string): SpecKind | null => classifyName(path) ?? (contracts.has(path) ? "contract" : null);
  const entries = governedBlobs(tree, classify);
  if (entries.length === 0) return { versions: [], warning: null };
  const { rows } = await client.query<{ id: string; path: string }>(
    `SELECT DISTINCT ON (t.path) v.id, t.path
     FROM unnest($2::text[], $3::text[]) AS t(path, blob)
     JOIN "SpecVersion" v ON v.path = t.path AND v."blobId" = t.blob
     JOIN "Spec" s ON s.id = v."specId" AND s."repositoryId" = $1
     ORDER BY t.path, v.seq`,
    [opts.repository.id, entries.map((e) => e.path), entries.map((e) => e.blob)],
  );
  const matched = new Map(rows.map((r) => [r.path, r.id]));
  const unmatched = entries.filter((e) => !matched.has(e.path)).length;
  return {
    versions: entries.map((e) => ({ id: matched.get(e.path) ?? null, path: e.path })),
    warning:
      unmatched > 0
        ? `${unmatched} governed file${unmatched === 1 ? "" : "s"} at ${opts.commit.slice(0, 7)} match${unmatched === 1 ? "es" : ""} no imported spec version; the gate will refuse this deployment until they do.`
        : null,
  };
}

/**
 * The governed blobs of a `git ls-tree -r -z` listing (submodules and trees are not files),
 * as the import decides: a bundled skill file only inside a folder whose SKILL.md is in the tree.
 */
export function governedBlobs(listing: string, classify: (path: string) => SpecKind | null): { path: string; blob: string }[] {
  const blobs: { path: string; blob: string; kind: SpecKind }[] = [];
  for (const entry of listing.split("\0")) {
    const match = /^\d+ blob ([0-9a-f]+)\t(.+)$/s.exec(entry);
    const kind = match ? classify(match[2]) : null;
    if (match && kind) blobs.push({ path: match[2], blob: match[1], kind });
  }
  const skills = new Set(blobs.filter((b) => b.kind === "skill").map((b) => b.path));
  return blobs.filter((b) => b.kind !== "skill-file" || bundledBySkill(b.path, (p) => skills.has(p)) !== null).map(({ path, blob }) => ({ path, blob }));
}

import { z } from "zod";
import { positiveIntString, text } from "@/lib/schema";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { db, Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { errorForRole } from "@/lib/git/error-text";
import { classifyContractChange } from "@/lib/contracts";
import { APPROVED_AT_CURRENT_HASH } from "./approved";
import { diffTexts, type VersionDiff } from "./diff";
import { AGENT_KINDS, SPEC_KINDS, type SpecKind } from "./kinds";

/** The fields of a repository users see: not where the server keeps its git data. */
export const REPOSITORY_FIELDS = {
  id: true,
  name: true,
  source: true,
  defaultBranch: true,
  headCommit: true,
  status: true,
  lastError: true,
  lastImportAt: true,
  archivedAt: true,
  createdAt: true,
} as const;

/** GET /api/v1/repositories query: archived repositories are left out unless asked for. */
export const repositoriesQuerySchema = z.object({
  archived: z.enum(["exclude", "include", "only"]).default("exclude").describe("Archived repositories: left out (default), included, or only them."),
});

export function publicRepository<T extends Record<string, unknown>>(repository: T) {
  return Object.fromEntries(Object.entries(repository).filter(([key]) => key in REPOSITORY_FIELDS));
}

export async function listRepositories(viewer: Actor, opts: { archived?: "exclude" | "include" | "only" } = {}) {
  assertCan(viewer, "repositories:read");
  const archived = opts.archived ?? "exclude";
  const where = archived === "include" ? {} : { archivedAt: archived === "only" ? { not: null } : null };
  const repos = await db.repository.findMany({ where, orderBy: { name: "asc" }, select: REPOSITORY_FIELDS });
  const counts = await db.$queryRaw<{ repositoryId: string; specs: bigint; live: bigint; versions: bigint }[]>`
    SELECT s."repositoryId", count(*) AS specs, count(*) FILTER (WHERE NOT s.deleted) AS live, coalesce(sum(s."versionCount"), 0) AS versions
    FROM "Spec" s GROUP BY s."repositoryId"`;
  const byRepo = new Map(counts.map((c) => [c.repositoryId, c]));
  return repos.map((r) => ({
    ...r,
    lastError: errorForRole(r.lastError, viewer.role),
    liveSpecs: Number(byRepo.get(r.id)?.live ?? 0),
    versions: Number(byRepo.get(r.id)?.versions ?? 0),
  }));
}

export async function getRepositoryOrThrow(viewer: Actor, id: string) {
  assertCan(viewer, "repositories:read");
  const repository = await db.repository.findUnique({
    where: { id },
    select: {
      ...REPOSITORY_FIELDS,
      imports: { orderBy: { createdAt: "desc" }, take: 20, include: { requestedBy: { select: { name: true } } } },
      skipped: { orderBy: { path: "asc" }, take: 200 },
    },
  });
  if (!repository) throw new AppError("not_found", "Repository not found");
  const [liveSpecs, versions] = await Promise.all([
    db.spec.count({ where: { repositoryId: id, deleted: false } }),
    db.specVersion.count({ where: { spec: { repositoryId: id } } }),
  ]);
  // git's and the file system's own words (server paths) are for admins only.
  const imports = repository.imports.map((i) => ({
    ...i,
    error: errorForRole(i.error, viewer.role),
    followUpError: errorForRole(i.followUpError, viewer.role),
  }));
  return { ...repository, lastError: errorForRole(repository.lastError, viewer.role), imports, liveSpecs, versions };
}

export async function getImportOrThrow(viewer: Actor, id: string) {
  assertCan(viewer, "repositories:read");
  const record = await db.import.findUnique({ where: { id } });
  if (!record) throw new AppError("not_found", "Import not found");
  return { ...record, error: errorForRole(record.error, viewer.role), followUpError: errorForRole(record.followUpError, viewer.role) };
}

export interface SpecFilters {
  repositoryId?: string;
  /** A kind, "not-agent": every kind but agent files (the dashboard's Specs card), or "agents": every agent file kind (its Agent files card). */
  kind?: SpecKind | typeof NOT_AGENT | typeof AGENT_FILES;
  featureId?: string;
  deleted?: "live" | "deleted" | "all";
  /** An owner (@team, @user, email), "owned" (anyone) or "unowned". */
  owner?: string;
  /** "approved": live files whose current content an approved change names (the dashboard's Approved card). */
  review?: "approved";
  q?: string;
  page?: number;
}

export const PAGE_SIZE = 50;
export const NOT_AGENT = "not-agent";
export const AGENT_FILES = "agents";

// The dashboard's Approved card counts the same (lib/dashboard/counts.ts, scanCounts).
const APPROVED_CURRENT = Prisma.raw(APPROVED_AT_CURRENT_HASH);

export async function listSpecs(viewer: Actor, filters: SpecFilters) {
  assertCan(viewer, "specs:read");
  const where: Prisma.SpecWhereInput = {
    ...(filters.repositoryId ? { repositoryId: filters.repositoryId } : {}),
    // "Not agent" is every kind the dashboard's Specs card counts: skills, subagents, prompts and tool configs are agent files too.
    ...(filters.kind === NOT_AGENT
      ? { kind: { notIn: [...AGENT_KINDS] } }
      : filters.kind === AGENT_FILES
        ? { kind: { in: [...AGENT_KINDS] } }
        : filters.kind && SPEC_KINDS.includes(filters.kind)
          ? { kind: filters.kind }
          : {}),
    ...(filters.featureId ? { featureId: filters.featureId } : {}),
    ...(filters.deleted === "all" ? {} : { deleted: filters.deleted === "deleted" }),
    ...(filters.owner === "unowned"
      ? { owners: { isEmpty: true } }
      : filters.owner === "owned"
        ? { NOT: { owners: { isEmpty: true } } }
        : filters.owner
          ? { owners: { has: filters.owner } }
          : {}),
  };
  const page = Math.max(1, filters.page ?? 1);
  if (filters.review === "approved") {
    // Prisma cannot compare a change's column with its spec's, so the ids come from SQL; approval is of live files only.
    const approved = await db.$queryRaw<{ id: string }[]>`
      SELECT s.id FROM "Spec" s WHERE NOT s.deleted AND ${APPROVED_CURRENT}
      ${where.repositoryId ? Prisma.sql`AND s."repositoryId" = ${where.repositoryId as string}` : Prisma.empty}`;
    Object.assign(where, { id: { in: approved.map((r) => r.id) }, deleted: false });
  }
  const q = filters.q?.trim().slice(0, 200);
  if (q) {
    // PostgreSQL full-text search over path and current content, best matches first, with
    // the same filters applied in SQL so paging and totals are right.
    const conditions = [Prisma.sql`s.search @@ query`];
    if (where.repositoryId) conditions.push(Prisma.sql`s."repositoryId" = ${where.repositoryId as string}`);
    if (filters.kind === NOT_AGENT) conditions.push(Prisma.sql`s.kind <> ALL(${[...AGENT_KINDS]}::text[])`);
    else if (filters.kind === AGENT_FILES) conditions.push(Prisma.sql`s.kind = ANY(${[...AGENT_KINDS]}::text[])`);
    else if (where.kind) conditions.push(Prisma.sql`s.kind = ${where.kind as string}`);
    if (where.featureId) conditions.push(Prisma.sql`s."featureId" = ${where.featureId as string}`);
    if (where.deleted !== undefined) conditions.push(Prisma.sql`s.deleted = ${where.deleted as boolean}`);
    if (filters.review === "approved") conditions.push(APPROVED_CURRENT);
    if (filters.owner === "unowned") conditions.push(Prisma.sql`cardinality(s.owners) = 0`);
    else if (filters.owner === "owned") conditions.push(Prisma.sql`cardinality(s.owners) > 0`);
    else if (filters.owner) conditions.push(Prisma.sql`${filters.owner} = ANY(s.owners)`);
    const filter = Prisma.join(conditions, " AND ");
    const [matches, counted] = await Promise.all([
      db.$queryRaw<{ id: string }[]>`
        SELECT s.id FROM "Spec" s, websearch_to_tsquery('english', ${q}) query
        WHERE ${filter}
        ORDER BY ts_rank(s.search, query) DESC, s.path
        LIMIT ${PAGE_SIZE} OFFSET ${(page - 1) * PAGE_SIZE}`,
      db.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM "Spec" s, websearch_to_tsquery('english', ${q}) query WHERE ${filter}`,
    ]);
    const order = new Map(matches.map((r, i) => [r.id, i]));
    const rows = await db.spec.findMany({ where: { id: { in: matches.map((r) => r.id) } }, include: specListInclude });
    rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    return { rows, total: counted[0].n, page, pageSize: PAGE_SIZE };
  }
  const [rows, total] = await Promise.all([
    db.spec.findMany({
      where,
      include: specListInclude,
      orderBy: [{ repository: { name: "asc" } }, { path: "asc" }],
      skip: (page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
    }),
    db.spec.count({ where }),
  ]);
  return { rows, total, page, pageSize: PAGE_SIZE };
}

const specListInclude = {
  repository: { select: { id: true, name: true } },
  feature: { select: { id: true, name: true } },
} as const;

/** Every owner named by a current spec, for filters. */
export async function listOwners(viewer: Actor): Promise<string[]> {
  assertCan(viewer, "specs:read");
  const rows = await db.$queryRaw<{ owner: string }[]>`
    SELECT DISTINCT unnest(owners) AS owner FROM "Spec" WHERE NOT deleted ORDER BY owner`;
  return rows.map((r) => r.owner);
}

export async function listFeatures(viewer: Actor, repositoryId?: string) {
  assertCan(viewer, "specs:read");
  return db.feature.findMany({
    where: repositoryId ? { repositoryId } : {},
    select: { id: true, name: true, key: true, repository: { select: { name: true } } },
    orderBy: [{ repository: { name: "asc" } }, { key: "asc" }],
  });
}

/** How many of a spec's latest versions its page lists; older ones stay reachable by number. */
export const TIMELINE_LIMIT = 200;

export async function getSpecOrThrow(viewer: Actor, id: string) {
  assertCan(viewer, "specs:read");
  const spec = await db.spec.findUnique({
    where: { id },
    include: {
      repository: { select: { id: true, name: true, defaultBranch: true } },
      feature: { include: { specs: { where: { deleted: false }, select: { id: true, path: true, kind: true }, orderBy: { path: "asc" } } } },
      ownerRule: { select: { pattern: true, source: true } },
      versions: {
        orderBy: { seq: "desc" },
        take: TIMELINE_LIMIT,
        select: {
          id: true,
          seq: true,
          contentHash: true,
          blobId: true,
          path: true,
          isSymlink: true,
          commitSha: true,
          authorName: true,
          authorEmail: true,
          committedAt: true,
          content: { select: { size: true } },
          identity: { select: { signature: true, signerEmail: true, signerKey: true } },
        },
      },
    },
  });
  if (!spec) throw new AppError("not_found", "Spec not found");
  return spec;
}

export async function getVersionTextOrThrow(viewer: Actor, specId: string, seq: number) {
  assertCan(viewer, "specs:read");
  const version = await db.specVersion.findUnique({
    where: { specId_seq: { specId, seq } },
    select: {
      id: true,
      seq: true,
      path: true,
      commitSha: true,
      committedAt: true,
      isSymlink: true,
      contentHash: true,
      content: { select: { text: true } },
      spec: { select: { kind: true } },
    },
  });
  if (!version) throw new AppError("not_found", `Version ${seq} not found`);
  return version;
}

/** The diff between two versions of one spec, or "too different to diff". */
export async function diffSpecVersions(viewer: Actor, opts: { specId: string; fromSeq: number; toSeq: number }) {
  const [from, to] = await Promise.all([getVersionTextOrThrow(viewer, opts.specId, opts.fromSeq), getVersionTextOrThrow(viewer, opts.specId, opts.toSeq)]);
  const rename = from.path !== to.path ? { from: from.path, to: to.path } : null;
  const diff: VersionDiff =
    from.contentHash === to.contentHash
      ? rename
        ? { status: "renamed", rename }
        : { status: "identical" }
      : diffTexts({
          oldText: from.content.text,
          newText: to.content.text,
          oldLabel: `${from.path}@${from.commitSha.slice(0, 7)}`,
          newLabel: `${to.path}@${to.commitSha.slice(0, 7)}`,
          oldPath: from.path,
          newPath: to.path,
        });
  // A contract's versions are also compared as interfaces: which changes break its consumers.
  const contract = classifyContractChange({ kind: to.spec.kind, path: to.path, oldText: from.content.text, newText: to.content.text });
  return { from, to, diff, contract };
}

/** GET /api/v1/specs query. */
export const specQuerySchema = z.object({
  q: text().max(200).optional(),
  repositoryId: text().max(100).optional(),
  kind: z.enum([NOT_AGENT, ...SPEC_KINDS] as [string, ...string[]]).optional(),
  featureId: text().max(100).optional(),
  deleted: z.enum(["live", "deleted", "all"]).optional(),
  owner: text().max(200).optional(),
  page: positiveIntString(10_000).optional(),
});

/** GET /api/v1/specs/:id/diff query. */
export const diffQuerySchema = z.object({ from: positiveIntString(), to: positiveIntString() });

/**
 * Every imported version of every file (deleted files' too), newest first: what the dashboard's
 * Versions card counts (the sum of the files' version counts).
 */
export async function listVersions(viewer: Actor, filters: { repositoryId?: string; importId?: string; page?: number }) {
  assertCan(viewer, "specs:read");
  const from = filters.importId ? await importedVersionsWhere(filters.importId) : null;
  const where: Prisma.SpecVersionWhereInput = {
    ...(filters.repositoryId ? { spec: { repositoryId: filters.repositoryId } } : {}),
    ...(from ? { AND: [from.where] } : {}),
  };
  const page = Math.max(1, filters.page ?? 1);
  const [rows, total] = await Promise.all([
    db.specVersion.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      select: {
        id: true,
        seq: true,
        path: true,
        commitSha: true,
        authorName: true,
        committedAt: true,
        spec: { select: { id: true, kind: true, deleted: true, repository: { select: { id: true, name: true } } } },
      },
    }),
    db.specVersion.count({ where }),
  ]);
  return { rows, total, page, pageSize: PAGE_SIZE, import: from?.import ?? null };
}

/**
 * The versions one import wrote: its repository's versions created while it ran. An import
 * writes its versions in one transaction between its start and its finish, and imports of one
 * repository never overlap. An import that did not succeed wrote none.
 */
async function importedVersionsWhere(importId: string): Promise<{ where: Prisma.SpecVersionWhereInput; import: ImportShown | null }> {
  const record = await db.import.findFirst({
    where: { id: importId },
    select: { id: true, status: true, startedAt: true, finishedAt: true, createdAt: true, repository: { select: { id: true, name: true } } },
  });
  if (!record || record.status !== "succeeded" || !record.startedAt || !record.finishedAt)
    return { where: { id: { in: [] } }, import: record ? shown(record) : null };
  return { where: { spec: { repositoryId: record.repository.id }, createdAt: { gte: record.startedAt, lte: record.finishedAt } }, import: shown(record) };
}

interface ImportShown {
  id: string;
  repository: { id: string; name: string };
  finishedAt: Date | null;
}
const shown = (r: ImportShown): ImportShown => ({ id: r.id, repository: r.repository, finishedAt: r.finishedAt });

import { assertCan, type Actor } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { AUDIT_PAGE_SIZE, auditWhere, explainGap, isFiltered, parseSubject, seqGaps, subjectHref, type AuditQuery } from "./browse-query";

/** Human names for subjects and actors, looked up in one query per kind that appears. */
async function namesFor(subjects: string[], actorIds: string[]): Promise<{ subjects: Map<string, string>; actors: Map<string, string> }> {
  const ids = (kind: string) => [
    ...new Set(
      subjects
        .map(parseSubject)
        .filter((s) => s.kind === kind && s.id)
        .map((s) => s.id),
    ),
  ];
  const [repositories, specs, users, teams] = await Promise.all([
    ids("repository").length ? db.repository.findMany({ where: { id: { in: ids("repository") } }, select: { id: true, name: true } }) : [],
    ids("spec").length
      ? db.spec.findMany({ where: { id: { in: ids("spec") } }, select: { id: true, path: true, repository: { select: { name: true } } } })
      : [],
    [...ids("user"), ...actorIds].length
      ? db.user.findMany({ where: { id: { in: [...new Set([...ids("user"), ...actorIds])] } }, select: { id: true, name: true, email: true } })
      : [],
    ids("team").length ? db.team.findMany({ where: { id: { in: ids("team") } }, select: { id: true, name: true } }) : [],
  ]);
  const subjectNames = new Map<string, string>([
    ...repositories.map((r) => [`repository:${r.id}`, r.name] as [string, string]),
    ...specs.map((s) => [`spec:${s.id}`, `${s.repository.name}:${s.path}`] as [string, string]),
    ...users.map((u) => [`user:${u.id}`, `${u.name} <${u.email}>`] as [string, string]),
    ...teams.map((t) => [`team:${t.id}`, t.name] as [string, string]),
  ]);
  for (const subject of subjects) {
    const { kind, id } = parseSubject(subject);
    if (kind === "change" && id && !subjectNames.has(subject)) subjectNames.set(subject, `change #${id}`);
  }
  return { subjects: subjectNames, actors: new Map(users.map((u) => [u.id, u.name])) };
}

/**
 * One page of the audit log, newest first, with human names and links, and an explanation
 * of every gap in the sequence numbers between listed events.
 */
export async function listAuditPage(viewer: Actor, query: Partial<AuditQuery>) {
  assertCan(viewer, "audit:read");
  const where = auditWhere(query);
  const events = await db.auditEvent.findMany({
    where: { ...where, ...(query.before ? { seq: { lt: query.before } } : {}) },
    orderBy: { seq: "desc" },
    take: AUDIT_PAGE_SIZE + 1,
  });
  const more = events.length > AUDIT_PAGE_SIZE;
  const page = events.slice(0, AUDIT_PAGE_SIZE);
  const gaps = seqGaps(page.map((e) => e.seq));
  // Events between listed ones that exist but were filtered out; the rest were never used.
  const hidden = gaps.length
    ? await db.$queryRaw<{ after: number; n: number }[]>`
        SELECT g.after, (SELECT count(*)::int FROM "AuditEvent" e WHERE e.seq > g.before AND e.seq < g.after) AS n
        FROM unnest(${gaps.map((g) => g.after)}::int[], ${gaps.map((g) => g.before)}::int[]) AS g(after, before)`
    : [];
  const hiddenBy = new Map(hidden.map((h) => [h.after, h.n]));
  const names = await namesFor(
    page.map((e) => e.subject),
    [...new Set(page.map((e) => e.actorId).filter((id): id is string => id !== null))],
  );
  return {
    events: page.map((e) => ({
      ...e,
      actorName: e.actorId ? (names.actors.get(e.actorId) ?? null) : null,
      subjectName: names.subjects.get(e.subject) ?? null,
      subjectHref: subjectHref(e.subject),
      gapBelow: gaps.find((g) => g.after === e.seq)
        ? explainGap(
            gaps.find((g) => g.after === e.seq)!,
            hiddenBy.get(e.seq) ?? 0,
          )
        : null,
    })),
    filtered: isFiltered(query),
    nextBefore: more ? page[page.length - 1].seq : null,
  };
}

/** The distinct actors and actions, for the filters' choices. */
export async function auditFilterChoices(viewer: Actor): Promise<{ actors: string[]; actions: string[] }> {
  assertCan(viewer, "audit:read");
  const [actors, actions] = await Promise.all([
    db.auditEvent.findMany({ distinct: ["actorLabel"], select: { actorLabel: true }, orderBy: { actorLabel: "asc" }, take: 500 }),
    db.auditEvent.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" }, take: 500 }),
  ]);
  return { actors: actors.map((a) => a.actorLabel), actions: actions.map((a) => a.action) };
}

const EXPORT_BATCH = 1000;

/**
 * Every event matching the filters, oldest first, as JSON Lines: one event per line with its
 * hashes, so the export can be checked against the chain. Read in batches by sequence number.
 */
export async function* exportAuditJsonLines(viewer: Actor, query: Partial<AuditQuery>): AsyncGenerator<string> {
  assertCan(viewer, "audit:read");
  const where = auditWhere(query);
  let after = 0;
  for (;;) {
    const batch = await db.auditEvent.findMany({
      where: { ...where, seq: { gt: after, ...(query.before ? { lt: query.before } : {}) } },
      orderBy: { seq: "asc" },
      take: EXPORT_BATCH,
    });
    for (const e of batch) {
      yield (
        JSON.stringify({
          seq: e.seq,
          occurredAt: e.occurredAt.toISOString(),
          actorId: e.actorId,
          actor: e.actorLabel,
          action: e.action,
          subject: e.subject,
          payload: e.payload,
          prevHash: e.prevHash,
          hash: e.hash,
        }) + "\n"
      );
    }
    if (batch.length < EXPORT_BATCH) return;
    after = batch[batch.length - 1].seq;
  }
}

// The server's half of `specledger check`: for each governed file a pull request changes,
// whether its exact new content is approved, the lint findings and broken references it
// introduces, and near-duplicates of specs elsewhere; the repository's policy decides which
// fail the check; the answer is stored as a Check (docs/decisions/022-pr-check.md).
import type { RunResult } from "@/lib/audit";
import { assertCan, type Viewer } from "@/lib/auth/permissions";
import { db, Prisma } from "@/lib/db";
import { classifyContractChange, isMachineReadableContract } from "@/lib/contracts";
import { AppError } from "@/lib/errors";
import { MIN_SHINGLES } from "@/lib/findings/duplicates";
import { bandKeys, decodeSignature, DEFAULT_THRESHOLD, jaccard, shingleSet, signature } from "@/lib/findings/minhash";
import { findingsConfigSchema } from "@/lib/findings/settings";
import { compileOwnership } from "@/lib/ownership/codeowners";
import { sameSource } from "@/lib/repositories/source-match";
import { hashContent } from "@/lib/specs/content";
import { mayBeContract, sniffContract } from "@/lib/contracts/sniff";
import { bundledBySkill, compileKindRules, kindRulesFromEnv, type SpecKind } from "@/lib/specs/kinds";
import { applyPolicy, lintDrafts, newLintIssues, policyOf, type CheckItemDraft } from "./policy";
import { checkTicket, knownContentsInput, MAX_CONTENT_BYTES, type CheckFileInput, type CheckFileResult, type CheckInput, type CheckResult } from "./schema";
import { ticketOutcome } from "./ticket";
import { unchangedDrafts } from "./unchanged";

type Tx = Prisma.TransactionClient;

/** Most contracts a pull request adds that a deleted one is compared with, to find where it moved. */
const MAX_MOVE_CANDIDATES = 20;

const contractDraft = (message: string): CheckItemDraft => ({
  category: "contract",
  rule: "breaking-contract",
  severity: "error",
  policyKey: "breakingContracts",
  line: null,
  message,
});
const NOT_SENT = "its text was not sent: over 256 KB or not UTF-8";
const GET_APPROVED = "Get the change approved by the contract's owners in Specledger.";

/**
 * What a pull request breaks in its machine-readable contracts (decision 022, "Breaking contract
 * changes"), per path. A modified contract is classified base text against head text (decision
 * 032's classifier) unless an approved change of that spec went from exactly this base to exactly
 * this head: an approval of the same bytes against another base (a revert to an older approved
 * text, a copy of an approved text elsewhere) did not review what this pull request removes. A
 * deleted contract breaks its consumers unless a contract the pull request adds replaces it
 * without breaking changes (a move: git's diff here has no renames). Fail closed: a change the
 * classifier cannot judge in full, or whose texts were not sent, counts as breaking.
 */
async function contractDrafts(
  tx: Tx,
  files: (CheckFileInput & { kind: string })[],
  specAt: Map<string, { id: string }>,
): Promise<Map<string, CheckItemDraft[]>> {
  const drafts = new Map<string, CheckItemDraft[]>();
  const contracts = files.filter((f) => f.kind === "contract" && isMachineReadableContract(f.path));
  const added = contracts.filter((f) => f.status === "added" && f.content !== undefined).slice(0, MAX_MOVE_CANDIDATES);
  for (const file of contracts) {
    if (file.status === "modified") {
      if (file.content === undefined || file.baseContent === undefined) {
        drafts.set(file.path, [contractDraft(`This contract change could not be classified (${NOT_SENT}), so it is treated as breaking until approved.`)]);
        continue;
      }
      const classified = classifyContractChange({ kind: "contract", path: file.path, oldText: file.baseContent, newText: file.content });
      if (!classified?.summary) continue;
      const spec = specAt.get(file.path);
      if (spec && (await reviewedTransition(tx, spec.id, hashContent(Buffer.from(file.baseContent, "utf8")), file.contentHash))) continue;
      const what = classified.breaking > 0 ? `Breaks this contract's consumers (${classified.summary})` : classified.summary;
      drafts.set(file.path, [contractDraft(`${what}. ${GET_APPROVED}`)]);
    } else if (file.status === "deleted") {
      if (file.baseContent === undefined) {
        drafts.set(file.path, [contractDraft(`Deletes this contract (${NOT_SENT}), so it is treated as breaking its consumers.`)]);
        continue;
      }
      const moves = added.map((a) => ({
        to: a.path,
        classified: classifyContractChange({ kind: "contract", path: a.path, oldText: file.baseContent!, newText: a.content! }),
      }));
      if (moves.some((m) => m.classified !== null && !m.classified.summary)) continue;
      const sameName = moves.find((m) => m.to.split("/").pop() === file.path.split("/").pop() && m.classified?.summary);
      drafts.set(file.path, [
        contractDraft(
          sameName
            ? `Moves this contract to ${sameName.to} and breaks its consumers (${sameName.classified!.summary}).`
            : "Deletes this contract: its consumers lose every operation and message it describes, and no contract this pull request adds replaces it without breaking changes.",
        ),
      ]);
    }
  }
  return drafts;
}

/** Whether an approved change of the spec went from exactly `baseHash` to exactly `headHash` (a proposal's base, or an imported version's predecessor). */
async function reviewedTransition(tx: Tx, specId: string, baseHash: string, headHash: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ one: number }[]>`
    SELECT 1 AS one FROM "Change" c
    LEFT JOIN "SpecVersion" v ON v.id = c."versionId"
    WHERE c."specId" = ${specId} AND c.state = 'approved' AND c."currentHash" = ${headHash}
      AND CASE WHEN c.origin = 'import' AND v.id IS NOT NULL
            THEN (SELECT p."contentHash" FROM "SpecVersion" p WHERE p."specId" = c."specId" AND p.seq < v.seq ORDER BY p.seq DESC LIMIT 1)
            ELSE c."baseHash" END = ${baseHash}
    LIMIT 1`;
  return rows.length > 0;
}

/** Where a check is shown in the app. */
export const checkUrl = (checkId: string) => `/checks/${checkId}`;

/** The repository a check names, by name or by its checkout's remote URL. */
async function findRepository(tx: Tx, input: Pick<CheckInput, "repository" | "remoteUrl">) {
  const select = { id: true, name: true, source: true, checkPolicy: true, ticketPolicy: true } as const;
  if (input.repository !== undefined) {
    const repo = await tx.repository.findUnique({ where: { name: input.repository }, select });
    if (!repo) throw new AppError("not_found", `No repository is named ${input.repository}.`);
    return repo;
  }
  const matches = (await tx.repository.findMany({ select })).filter((r) => sameSource(r.source, input.remoteUrl!));
  if (matches.length === 0) throw new AppError("not_found", "No repository's source matches this checkout's remote URL; pass --repository <name>.");
  if (matches.length > 1)
    throw new AppError("unprocessable", `Several repositories match this remote (${matches.map((m) => m.name).join(", ")}); pass --repository <name>.`);
  return matches[0];
}

/**
 * Which of `hashes` the server holds as text a check can read (the CLI then sends only the
 * others). Says nothing a check's answer would not: approval is already judged by hash.
 */
export async function knownContents(viewer: Viewer, raw: unknown): Promise<{ known: string[] }> {
  assertCan(viewer, "checks:write");
  const { hashes } = knownContentsInput.parse(raw);
  if (hashes.length === 0) return { known: [] };
  const rows = await db.content.findMany({ where: { hash: { in: hashes }, size: { lte: MAX_CONTENT_BYTES } }, select: { hash: true } });
  return { known: rows.map((r) => r.hash).sort() };
}

/**
 * The texts a request left out because the server holds them (head by contentHash, base by
 * baseContentHash), read from the content store and checked against their hash. A text it does
 * not hold stays absent: lint is skipped and a contract counts as unclassified (fail closed).
 */
async function withStoredTexts(tx: Tx, files: CheckInput["files"]): Promise<CheckInput["files"]> {
  const wanted = new Set<string>();
  for (const f of files) {
    if (f.status !== "deleted" && f.content === undefined) wanted.add(f.contentHash);
    if (f.baseContent === undefined && f.baseContentHash) wanted.add(f.baseContentHash);
  }
  if (wanted.size === 0) return files;
  const rows = await tx.content.findMany({ where: { hash: { in: [...wanted] }, size: { lte: MAX_CONTENT_BYTES } }, select: { hash: true, text: true } });
  const texts = new Map(rows.filter((r) => hashContent(Buffer.from(r.text, "utf8")) === r.hash).map((r) => [r.hash, r.text]));
  return files.map((f) => {
    const content = f.status !== "deleted" ? (f.content ?? texts.get(f.contentHash)) : undefined;
    const baseContent = f.baseContent ?? (f.baseContentHash ? texts.get(f.baseContentHash) : undefined);
    return { ...f, ...(content !== undefined ? { content } : {}), ...(baseContent !== undefined ? { baseContent } : {}) };
  });
}

export async function runCheck(tx: Tx, viewer: Viewer, sent: CheckInput): Promise<RunResult<CheckResult>> {
  const input = { ...sent, files: await withStoredTexts(tx, sent.files) };
  const repo = await findRepository(tx, input);
  const policy = policyOf(repo.checkPolicy);
  const classifyName = compileKindRules(kindRulesFromEnv());
  // Contracts recognised by content (decision 051): those the import stored that the kind rules do not
  // name (deleted ones too: a pull request may bring one back), and any YAML or JSON file whose text or
  // base text declares one, or that the CLI says is one (it read the file; claiming more only makes the
  // check stricter, and its text may not have been sent: too large, over the request's budget).
  const storedContracts = await tx.spec.findMany({ where: { repositoryId: repo.id, kind: "contract" }, select: { path: true } });
  const contractPaths = new Set(storedContracts.map((s) => s.path).filter((p) => !classifyName(p)));
  const classify = (path: string): SpecKind | null => classifyName(path) ?? (contractPaths.has(path) ? "contract" : null);
  const contractByContent = (f: CheckFileInput) =>
    mayBeContract(f.path) && (f.kind === "contract" || [f.content, f.baseContent].some((text) => text !== undefined && sniffContract(text) !== null));
  // The server's kind rules decide what is governed; a file they do not cover is not checked.
  const nominated = input.files.flatMap((f) => {
    const kind = classify(f.path) ?? (contractByContent(f) ? "contract" : null);
    return kind ? [{ ...f, kind }] : [];
  });
  // A bundled skill file is governed only inside a skill folder, as the import decides: its
  // SKILL.md is a live skill of the repository, or this pull request adds or changes one.
  const skillPaths = await skillsAmong(tx, repo.id, nominated);
  const files = nominated.filter((f) => f.kind !== "skill-file" || bundledBySkill(f.path, (p) => skillPaths.has(p)) !== null);
  const paths = files.map((f) => f.path);

  const [specs, rules, setting] = await Promise.all([
    tx.spec.findMany({ where: { repositoryId: repo.id, path: { in: paths }, deleted: false }, select: { id: true, path: true, owners: true } }),
    tx.ownershipRule.findMany({
      where: { OR: [{ repositoryId: null }, { repositoryId: repo.id }] },
      select: { id: true, pattern: true, owners: true, repositoryId: true, position: true },
    }),
    tx.workspaceSetting.findUnique({ where: { key: "findings" } }),
  ]);
  const specAt = new Map(specs.map((s) => [s.path, s]));
  // Workspace-wide rules first, the repository's after them; the last match wins.
  const ownersOf = compileOwnership(rules.sort((a, b) => Number(a.repositoryId !== null) - Number(b.repositoryId !== null) || a.position - b.position));
  const parsedConfig = findingsConfigSchema.safeParse(setting?.value ?? {});
  const findingsConfig = parsedConfig.success ? parsedConfig.data : findingsConfigSchema.parse({});

  const hashes = files.filter((f) => f.status !== "deleted").map((f) => f.contentHash);
  const changes = hashes.length
    ? await tx.change.findMany({
        where: { currentHash: { in: hashes }, state: { in: ["approved", "proposed", "unreviewed"] } },
        select: { number: true, state: true, currentHash: true, specId: true },
        orderBy: { number: "desc" },
      })
    : [];
  const duplicates = await nearDuplicates(tx, repo.id, files);
  const contracts = await contractDrafts(tx, files, specAt);
  // The server's kind rules decide which unchanged files count, as for the changed ones.
  const sentPaths = new Set(input.files.map((f) => f.path));
  // Every path the request names counts as changed for drift, also those the kind rules refuse here.
  const unchanged = await unchangedDrafts(tx, repo.id, input, {
    governed: (path) => (sentPaths.has(path) ? null : classify(path)),
    drift: findingsConfig.types.stale && policy.drift !== "off",
    references: findingsConfig.types["broken-reference"] && policy.brokenReferences !== "off",
  });
  const unchangedSpecs = unchanged.length
    ? await tx.spec.findMany({
        where: { repositoryId: repo.id, path: { in: unchanged.map((u) => u.path) }, deleted: false },
        select: { path: true, owners: true },
      })
    : [];
  const unchangedOwners = new Map(unchangedSpecs.map((s) => [s.path, s.owners]));

  const results: CheckFileResult[] = files.map((file) => {
    const spec = specAt.get(file.path);
    const owners = spec?.owners.length ? spec.owners : (ownersOf(file.path)?.rule.owners ?? []);
    const owned = owners.length > 0;
    const drafts: CheckItemDraft[] = [];
    let approval: CheckFileResult["approval"];
    if (file.status === "deleted") {
      approval = { state: "deleted" };
      if (owned)
        drafts.push({
          category: "approval",
          rule: "deleted-owned",
          severity: "warning",
          policyKey: "deletedOwned",
          line: null,
          message: `Deletes a spec owned by ${owners.join(", ")}.`,
        });
    } else {
      const same = changes.filter((c) => c.currentHash === file.contentHash);
      const own = same.find((c) => c.state === "approved" && spec && c.specId === spec.id);
      const copy = same.find((c) => c.state === "approved");
      const pending = same.find((c) => c.state !== "approved" && spec && c.specId === spec.id) ?? same.find((c) => c.state !== "approved");
      if (own || copy) approval = { state: "approved", via: own ? "change" : "copy", change: (own ?? copy)!.number };
      else if (pending) approval = { state: "pending", change: pending.number };
      else approval = { state: "unapproved" };
      if (approval.state !== "approved") {
        const waiting = pending ? ` Change #${pending.number} would approve it.` : " Propose it in Specledger (specledger propose) to get it reviewed.";
        drafts.push(
          owned
            ? {
                category: "approval",
                rule: "unapproved-owned",
                severity: "error",
                policyKey: "unapprovedOwned",
                line: null,
                message: `The new content of this spec, owned by ${owners.join(", ")}, is not approved.${waiting}`,
                ...(pending ? { link: `/changes/${pending.number}` } : {}),
              }
            : {
                category: "approval",
                rule: "unapproved-unowned",
                severity: "warning",
                policyKey: "unapprovedUnowned",
                line: null,
                message: `The new content of this spec is not approved.${waiting}`,
                ...(pending ? { link: `/changes/${pending.number}` } : {}),
              },
        );
      }
      if (file.content !== undefined && findingsConfig.types.lint) {
        drafts.push(
          ...lintDrafts(
            newLintIssues({ path: file.path, kind: file.kind as SpecKind, head: file.content, base: file.baseContent ?? null, config: findingsConfig.lint }),
          ),
        );
      }
      for (const ref of findingsConfig.types["broken-reference"] ? file.brokenReferences : []) {
        drafts.push({
          category: "reference",
          rule: "broken-reference",
          severity: "warning",
          policyKey: "brokenReferences",
          line: ref.line,
          message: `Names ${ref.written}, which does not exist at the head commit.`,
        });
      }
      for (const d of duplicates.get(file.path) ?? []) {
        drafts.push({
          category: "duplicate",
          rule: "near-duplicate",
          severity: "info",
          policyKey: "nearDuplicates",
          line: null,
          message: `Nearly duplicates ${d.repository}:${d.path} (${Math.round(d.similarity * 100)}% similar).`,
          link: `/specs/${d.specId}`,
        });
      }
    }
    drafts.push(...(contracts.get(file.path) ?? []));
    return { path: file.path, status: file.status, kind: file.kind, contentHash: file.contentHash, owners, approval, items: applyPolicy(drafts, policy) };
  });

  // A contract the import governs that the request names only as a changed path: its text declares no
  // contract at either end, so the CLI did not send it. Nothing here can judge the change: it counts as breaking.
  for (const path of input.changedPaths ?? []) {
    if (!contractPaths.has(path) || sentPaths.has(path)) continue;
    const owners = specAt.get(path)?.owners ?? ownersOf(path)?.rule.owners ?? [];
    const draft = contractDraft(
      "Changes a contract Specledger governs, but its text no longer declares one (no openapi, asyncapi or json-schema.org $schema at its top level), so the check was not sent it and treats the change as breaking until approved.",
    );
    results.push({ path, status: "modified", kind: "contract", contentHash: "", owners, approval: { state: "unknown" }, items: applyPolicy([draft], policy) });
  }

  // The ticket: asked of pull requests that change governed files, reported on the first of them.
  const { ticket, draft: ticketDraft } = results.length > 0 ? ticketOutcome(repo.ticketPolicy, input) : { ticket: null, draft: null };
  if (ticketDraft) results[0].items.unshift(...applyPolicy([ticketDraft], policy));

  for (const u of unchanged) {
    const items = applyPolicy(u.drafts, policy);
    if (items.length === 0) continue;
    const own = unchangedOwners.get(u.path);
    const owners = own?.length ? own : (ownersOf(u.path)?.rule.owners ?? []);
    results.push({ path: u.path, status: "unchanged", kind: u.kind, contentHash: u.contentHash, owners, approval: { state: "unchanged" }, items });
  }

  const items = results.flatMap((r) => r.items);
  const summary = {
    files: results.filter((r) => r.status !== "unchanged").length,
    blocking: items.filter((i) => i.blocking).length,
    errors: items.filter((i) => i.level === "error").length,
    warnings: items.filter((i) => i.level === "warning").length,
    notes: items.filter((i) => i.level === "note").length,
  };
  const verdict = summary.blocking > 0 ? "fail" : "pass";
  const check = await tx.check.create({
    data: {
      repositoryId: repo.id,
      pullRequest: input.pullRequest ?? null,
      base: input.base,
      head: input.head,
      verdict,
      files: results,
      summary,
      ticket: ticket ?? Prisma.DbNull,
      requestedById: viewer.id,
    },
    select: { id: true, createdAt: true },
  });
  return {
    result: {
      id: check.id,
      repository: { id: repo.id, name: repo.name },
      pullRequest: input.pullRequest ?? null,
      base: input.base,
      head: input.head,
      verdict,
      summary,
      files: results,
      ticket,
      url: checkUrl(check.id),
      createdAt: check.createdAt.toISOString(),
    },
    audit: {
      action: "check.recorded",
      subject: `check:${check.id}`,
      payload: { repositoryId: repo.id, pullRequest: input.pullRequest ?? null, base: input.base, head: input.head, verdict, blocking: summary.blocking },
    },
  };
}

type Duplicate = { specId: string; repository: string; path: string; similarity: number };

/**
 * Live specs elsewhere in the fleet that a file's new content nearly duplicates (exact Jaccard
 * ≥ DEFAULT_THRESHOLD, candidates by LSH band over the stored signatures), leaving out those the
 * base content already duplicated: only what the pull request introduces.
 */
async function nearDuplicates(tx: Tx, repositoryId: string, files: CheckInput["files"]): Promise<Map<string, Duplicate[]>> {
  const found = new Map<string, Duplicate[]>();
  const candidates = files.flatMap((f) => {
    if (f.status === "deleted" || f.content === undefined) return [];
    const shingles = shingleSet(f.content);
    return shingles.size >= MIN_SHINGLES ? [{ file: f, shingles, keys: new Set(bandKeys(signature(shingles))) }] : [];
  });
  if (candidates.length === 0) return found;
  const checked = new Set(files.map((f) => f.path));
  const fleet = (
    await tx.$queryRaw<{ specId: string; repositoryId: string; repository: string; path: string; hash: string; signature: string }[]>`
      SELECT s.id AS "specId", s."repositoryId", r.name AS repository, s.path, s."currentHash" AS hash, encode(g.signature, 'base64') AS signature
      FROM "Spec" s JOIN "Repository" r ON r.id = s."repositoryId" JOIN "ContentSignature" g ON g.hash = s."currentHash"
      WHERE NOT s.deleted AND g.shingles >= ${MIN_SHINGLES}`
  ).filter((m) => !(m.repositoryId === repositoryId && checked.has(m.path))); // the files being checked are not their own duplicates
  const pairs: { file: (typeof candidates)[number]; member: (typeof fleet)[number] }[] = [];
  for (const member of fleet) {
    // Sent as base64: the Prisma adapter cannot hand raw bytea results back through $queryRaw.
    const keys = bandKeys(decodeSignature(Buffer.from(member.signature, "base64")));
    for (const c of candidates) if (keys.some((k) => c.keys.has(k))) pairs.push({ file: c, member });
  }
  if (pairs.length === 0) return found;
  const texts = await tx.content.findMany({ where: { hash: { in: [...new Set(pairs.map((p) => p.member.hash))] } }, select: { hash: true, text: true } });
  const setOf = new Map(texts.map((t) => [t.hash, shingleSet(t.text)]));
  for (const { file, member } of pairs) {
    const other = setOf.get(member.hash);
    if (!other) continue;
    const similarity = jaccard(file.shingles, other);
    if (similarity < DEFAULT_THRESHOLD) continue;
    if (file.file.baseContent !== undefined && jaccard(shingleSet(file.file.baseContent), other) >= DEFAULT_THRESHOLD) continue;
    const list = found.get(file.file.path) ?? [];
    list.push({ specId: member.specId, repository: member.repository, path: member.path, similarity });
    found.set(file.file.path, list.sort((a, b) => b.similarity - a.similarity).slice(0, 5));
  }
  return found;
}

/** A stored check, for GET /api/v1/checks/{id}: whoever may read the repository may read its checks. */
export async function getCheckOrThrow(viewer: Viewer, id: string): Promise<CheckResult> {
  assertCan(viewer, "repositories:read");
  const check = await db.check.findUnique({ where: { id }, include: { repository: { select: { id: true, name: true } } } });
  if (!check) throw new AppError("not_found", "Check not found.");
  return {
    id: check.id,
    repository: check.repository,
    pullRequest: check.pullRequest,
    base: check.base,
    head: check.head,
    verdict: check.verdict,
    summary: check.summary as CheckResult["summary"],
    files: check.files as CheckFileResult[],
    ticket: checkTicket.nullable().catch(null).parse(check.ticket),
    url: checkUrl(check.id),
    createdAt: check.createdAt.toISOString(),
  };
}

/** The SKILL.md paths that can bundle the nominated skill files: live skills of the repository, and skills the check itself carries. */
async function skillsAmong(tx: Tx, repositoryId: string, files: { path: string; kind: string; status: string }[]): Promise<Set<string>> {
  const bundled = files.filter((f) => f.kind === "skill-file");
  if (bundled.length === 0) return new Set();
  const carried = files.filter((f) => f.kind === "skill" && f.status !== "deleted").map((f) => f.path);
  const candidates = new Set<string>();
  for (const f of bundled) bundledBySkill(f.path, (p) => (candidates.add(p), false));
  const live = await tx.spec.findMany({ where: { repositoryId, kind: "skill", deleted: false, path: { in: [...candidates] } }, select: { path: true } });
  return new Set([...carried, ...live.map((s) => s.path)]);
}

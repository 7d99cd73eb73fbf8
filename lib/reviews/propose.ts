import { z } from "zod";
import type { RunResult } from "@/lib/audit";
import { allows, type Viewer } from "@/lib/auth/permissions";
import type { Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { idString, positiveInt, positiveIntString, text } from "@/lib/schema";
import { checkBlob, hashContent } from "@/lib/specs/content";
import { lockChange } from "./context";
import { deriveState } from "./policy";
import { assertTicketReferenced } from "./ticket-policy";

export const MAX_PROPOSAL_BYTES = 1_048_576;

const content = text().max(MAX_PROPOSAL_BYTES, "The content is larger than 1 MB.");

/** How typed content gets its line endings: as sent, or those of the file it edits (HTML forms send CRLF). */
const lineEndings = z.enum(["as-sent", "match-file"]).default("as-sent").describe("match-file: give the content the line endings of the file it edits.");

export const proposeInput = z
  .object({
    specId: idString().optional(),
    repository: text().min(1).max(200).optional(),
    path: text().min(1).max(1000).optional(),
    content,
    title: text().trim().min(1, "Give the change a title.").max(200),
    description: text().max(10_000).default(""),
    supersedes: positiveInt().optional().describe("An open proposal to the same spec that this one replaces."),
    lineEndings,
  })
  .strict()
  .refine((b) => b.specId || (b.repository && b.path), { message: "Name the spec: specId, or repository and path." });

export const reviseInput = z.object({ number: positiveIntString(), content, lineEndings }).strict();

/** The body of POST /changes/{number}/revisions. */
export const revisionSchema = z.object({ content, lineEndings }).strict();

/** What a write on a change answers: enough to find it; the API then shows the whole change. */
export const changeRef = z.object({
  id: z.string(),
  number: z.number().int(),
  state: z.string(),
  currentHash: z.string(),
  baseHash: z.string().nullable().optional(),
});
export type ChangeRef = z.infer<typeof changeRef>;

/**
 * HTML forms submit a textarea's line breaks as CRLF whatever the file uses. Content typed in
 * the browser takes the line endings of the file it edits, so the approved bytes are the
 * bytes that will be committed.
 */
export function matchLineEndings(text: string, like: string | null): string {
  const crlf = like !== null && like.includes("\r\n") && !/(^|[^\r])\n/.test(like);
  const lf = text.replace(/\r\n/g, "\n");
  return crlf ? lf.replace(/\n/g, "\r\n") : lf;
}

/** Text a proposal may hold: what an import would store for the same file. */
function contentBytes(text: string): { bytes: Buffer; hash: string } {
  const bytes = Buffer.from(text, "utf8");
  const checked = checkBlob(bytes, { maxBytes: MAX_PROPOSAL_BYTES });
  if (!checked.ok) throw new AppError("unprocessable", `The content cannot be stored: ${checked.detail}.`);
  if (bytes.length !== checked.body.length) throw new AppError("unprocessable", "The content starts with a byte-order mark; remove it.");
  return { bytes, hash: hashContent(bytes) };
}

async function storeContent(tx: Prisma.TransactionClient, text: string, hash: string, size: number) {
  await tx.$executeRaw`INSERT INTO "Content" (hash, size, text) VALUES (${hash}, ${size}, ${text}) ON CONFLICT (hash) DO NOTHING`;
}

async function withFileLineEndings(tx: Prisma.TransactionClient, text: string, currentHash: string | null): Promise<string> {
  const current = currentHash ? await tx.content.findUnique({ where: { hash: currentHash }, select: { text: true } }) : null;
  return matchLineEndings(text, current?.text ?? null);
}

/**
 * Opens a proposal. `supersedes` names an open proposal to the same spec that this one
 * replaces (say, redone on top of newer content); that one ends as superseded.
 */
export async function proposeChange(tx: Prisma.TransactionClient, viewer: Viewer, input: z.output<typeof proposeInput>): Promise<RunResult<ChangeRef>> {
  const spec = input.specId
    ? await tx.spec.findUnique({ where: { id: input.specId } })
    : await tx.spec.findFirst({
        where: { deleted: false, path: input.path!.replace(/^\.\//, ""), repository: { OR: [{ id: input.repository! }, { name: input.repository! }] } },
      });
  if (!spec) {
    throw new AppError(
      "not_found",
      input.specId ? "Spec not found" : `No live spec at ${input.path} in ${input.repository}. Import the repository first, or check the path.`,
    );
  }
  const text = input.lineEndings === "match-file" ? await withFileLineEndings(tx, input.content, spec.currentHash) : input.content;
  const { bytes, hash } = contentBytes(text);
  if (spec.deleted) throw new AppError("conflict", `${spec.path} was deleted; a proposal needs a live spec.`);
  if (spec.currentHash === hash) throw new AppError("conflict", "This is the spec's current content: there is nothing to propose.");
  // A double-clicked submit or a retried request opens nothing new: the same author's open proposal
  // of the same bytes, title and reason, untouched since, is returned without an audit event.
  // Serializable isolation makes two racing copies conflict, and the retried one finds the first.
  if (!input.supersedes) {
    const same = await tx.change.findFirst({
      where: {
        specId: spec.id,
        origin: "proposal",
        authorId: viewer.id,
        state: "proposed",
        baseHash: spec.currentHash,
        currentHash: hash,
        title: input.title,
        description: input.description,
        decisions: { none: {} },
        revisions: { every: { number: 1 } },
      },
      orderBy: { number: "desc" },
    });
    if (same) return { result: { id: same.id, number: same.number, state: same.state, currentHash: same.currentHash, baseHash: same.baseHash } };
  }
  await assertTicketReferenced(tx, spec.repositoryId, input.title, input.description);
  await storeContent(tx, text, hash, bytes.length);
  const change = await tx.change.create({
    data: {
      specId: spec.id,
      origin: "proposal",
      title: input.title,
      description: input.description,
      baseHash: spec.currentHash,
      currentHash: hash,
      authorId: viewer.id,
      state: "proposed",
      revisions: { create: { number: 1, contentHash: hash, authorId: viewer.id, authorLabel: viewer.email } },
    },
  });
  const audit = [
    {
      action: "change.proposed",
      subject: `change:${change.number}`,
      payload: { specId: spec.id, path: spec.path, contentHash: hash, baseHash: spec.currentHash, supersedes: input.supersedes ?? null },
    },
  ];
  if (input.supersedes) {
    const old = await lockChange(tx, input.supersedes);
    if (old.origin !== "proposal" || old.specId !== spec.id) throw new AppError("conflict", `#${old.number} is not a proposal to ${spec.path}.`);
    if (old.landedVersionId || (old.state !== "proposed" && old.state !== "approved")) {
      throw new AppError("conflict", `#${old.number} is ${old.landedVersionId ? "landed" : old.state}; only open proposals can be superseded.`);
    }
    if (old.authorId !== viewer.id && !allows(viewer, "repositories:write")) {
      throw new AppError("forbidden", "Only the proposal's author or a maintainer may supersede it.");
    }
    await tx.reviewDecision.create({
      data: { changeId: old.id, kind: "supersede", reviewerId: viewer.id, reviewerLabel: viewer.email, body: `Superseded by #${change.number}.` },
    });
    await tx.change.update({ where: { id: old.id }, data: { state: "superseded" } });
    audit.push({ action: "change.superseded", subject: `change:${old.number}`, payload: { by: change.number } as never });
  }
  return { result: { id: change.id, number: change.number, state: change.state, currentHash: change.currentHash, baseHash: change.baseHash }, audit };
}

/**
 * A new revision of a proposal. Approvals name content, so they stop counting unless the new
 * content is byte-identical to what they approved.
 */
export async function reviseChange(tx: Prisma.TransactionClient, viewer: Viewer, input: z.output<typeof reviseInput>): Promise<RunResult<ChangeRef>> {
  const change = await lockChange(tx, input.number);
  const text = input.lineEndings === "match-file" ? await withFileLineEndings(tx, input.content, change.currentHash) : input.content;
  const { bytes, hash } = contentBytes(text);
  if (change.origin !== "proposal") throw new AppError("conflict", "An imported version cannot be revised: push a new commit instead.");
  if (change.landedVersionId) throw new AppError("conflict", `Change #${change.number} has landed; propose a new change.`);
  if (change.state !== "proposed" && change.state !== "approved")
    throw new AppError("conflict", `Change #${change.number} is ${change.state}; it takes no new revisions.`);
  if (change.authorId !== viewer.id && !allows(viewer, "repositories:write")) {
    throw new AppError("forbidden", "Only the proposal's author or a maintainer may revise it.");
  }
  const last = await tx.changeRevision.findFirstOrThrow({ where: { changeId: change.id }, orderBy: { number: "desc" } });
  await storeContent(tx, text, hash, bytes.length);
  const revision = await tx.changeRevision.create({
    data: { changeId: change.id, number: last.number + 1, contentHash: hash, authorId: viewer.id, authorLabel: viewer.email },
  });
  const decisions = await tx.reviewDecision.findMany({ where: { changeId: change.id }, orderBy: { seq: "asc" } });
  const state = deriveState({ origin: change.origin, currentHash: hash, decisions });
  await tx.change.update({ where: { id: change.id }, data: { currentHash: hash, state } });
  const dismissed = hash === change.currentHash ? 0 : decisions.filter((d) => d.kind === "approve" && d.contentHash === change.currentHash).length;
  return {
    result: { id: change.id, number: change.number, state, currentHash: hash },
    audit: {
      action: "change.revised",
      subject: `change:${change.number}`,
      payload: { revision: revision.number, contentHash: hash, previousHash: change.currentHash, dismissedApprovals: dismissed, state },
    },
  };
}

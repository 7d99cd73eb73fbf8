// What `specledger check` sends and what the server answers (docs/decisions/022-pr-check.md).
// The CLI parses the answer with the same schema, so an answer that does not match is
// "an invalid answer" (exit 3), not a crash.
import { z } from "zod";
import { hashContent } from "@/lib/specs/content";
import { SPEC_KINDS } from "@/lib/specs/kinds";
import { positiveInt, text } from "@/lib/schema";

/** Content is sent for files up to this size (head and base); larger files are checked by hash only. */
export const MAX_CONTENT_BYTES = 256 * 1024;
/** The request body limit for POST /api/v1/checks: 200 files at the content limit, twice (head and base), fit. */
export const MAX_CHECK_BODY_BYTES = 16 * 1024 * 1024;
export const MAX_CHECK_FILES = 500;
/** Most other (not governed) changed paths a check carries, to find the specs whose code changed without them. */
export const MAX_CHANGED_PATHS = 50_000;

const sha = z.string().regex(/^[0-9a-f]{7,64}$/, "A commit is a git commit id in lowercase hex.");
const hash = z.string().regex(/^[0-9a-f]{64}$/, "A content hash is SHA-256 in lowercase hex.");
const repoPath = text()
  .min(1)
  .max(1000)
  .refine((p) => !p.startsWith("/") && !p.split("/").includes(".."), "A path is repository-relative.");

export const FILE_STATUSES = ["added", "modified", "deleted"] as const;

export const brokenReferenceSchema = z.object({
  line: positiveInt(),
  written: text().min(1).max(1000),
  path: text().min(1).max(1000),
});

export const checkFileSchema = z
  .object({
    path: repoPath,
    status: z.enum(FILE_STATUSES),
    kind: z.enum(SPEC_KINDS as [string, ...string[]]),
    /** SHA-256 of the bytes at head; of the bytes at base for a deleted file. */
    contentHash: hash,
    /** SHA-256 of the bytes at the merge base (modified and deleted files): the server reads a base text it holds from its own store. */
    baseContentHash: hash.optional(),
    /** The text at head (absent for deleted files, files over MAX_CONTENT_BYTES, non-UTF-8 files, and texts the server holds: POST /checks/contents). */
    content: text().max(MAX_CONTENT_BYTES).optional(),
    /** The text at base (modified and deleted files), so only findings the PR introduces are reported. */
    baseContent: text().max(MAX_CONTENT_BYTES).optional(),
    /** References the head content names that the head tree lacks and the base did not already break (computed by the CLI, which has the tree). */
    brokenReferences: z.array(brokenReferenceSchema).max(500).default([]),
  })
  .strict();

/** A governed file the pull request leaves unchanged, with the references in it that the pull request breaks by deleting or moving what they name. */
export const unchangedFileSchema = z
  .object({
    path: repoPath,
    /** SHA-256 of its bytes (the same at base and head). */
    contentHash: hash,
    /** Each resolves to a path that exists at the merge base and not at head. */
    brokenReferences: z.array(brokenReferenceSchema).min(1).max(100),
  })
  .strict();

export const checkInput = z
  .object({
    repository: text().min(1).max(200).optional().describe("The repository's name in Specledger."),
    remoteUrl: text().min(1).max(2000).optional().describe("The checkout's remote URL, matched against repositories' sources when no name is given."),
    base: sha,
    head: sha,
    pullRequest: positiveInt().optional(),
    files: z.array(checkFileSchema).max(MAX_CHECK_FILES),
    /** The other paths the pull request adds, modifies or deletes (not governed files), so the server can name the specs whose code changed without them. */
    changedPaths: z.array(repoPath).max(MAX_CHANGED_PATHS).default([]),
    /** Where a ticket policy looks for an issue key: the pull request's title, its source branch and its commits' messages. */
    pullRequestTitle: text().max(1000).optional(),
    branch: text().max(500).optional(),
    commitMessages: z.array(text().max(4000)).max(250).default([]),
    /** Governed files the pull request leaves unchanged whose references it breaks (computed by the CLI, which has both trees). */
    unchangedFiles: z.array(unchangedFileSchema).max(MAX_CHECK_FILES).default([]),
  })
  .strict()
  .refine((c) => c.repository !== undefined || c.remoteUrl !== undefined, {
    message: "Name the repository, or send the checkout's remote URL.",
    path: ["repository"],
  })
  .refine((c) => new Set(c.files.map((f) => f.path)).size === c.files.length, { message: "Each path appears once.", path: ["files"] })
  .refine(
    (c) => {
      const changed = new Set(c.changedPaths);
      return (
        new Set([...c.files, ...c.unchangedFiles].map((f) => f.path)).size === c.files.length + c.unchangedFiles.length &&
        !c.unchangedFiles.some((f) => changed.has(f.path))
      );
    },
    { message: "A file is either changed or unchanged, once.", path: ["unchangedFiles"] },
  )
  // Approval is judged on the hash and lint on the text: they must be the same bytes, or a
  // check could pass approved bytes while the text it linted is something else.
  .superRefine((c, ctx) => {
    c.files.forEach((f, i) => {
      if (f.status !== "deleted" && f.content !== undefined && hashContent(Buffer.from(f.content, "utf8")) !== f.contentHash)
        ctx.addIssue({ code: "custom", path: ["files", i, "content"], message: `The content sent for ${f.path} does not hash to its contentHash.` });
      if (f.baseContent !== undefined && f.baseContentHash !== undefined && hashContent(Buffer.from(f.baseContent, "utf8")) !== f.baseContentHash)
        ctx.addIssue({
          code: "custom",
          path: ["files", i, "baseContent"],
          message: `The base content sent for ${f.path} does not hash to its baseContentHash.`,
        });
    });
  });
export type CheckInput = z.output<typeof checkInput>;
export type CheckFileInput = CheckInput["files"][number];

/** Which of these content hashes the server holds, so `specledger check` sends only the texts it lacks. */
export const knownContentsInput = z.object({ hashes: z.array(hash).max(MAX_CHECK_FILES * 2) }).strict();
export const knownContentsResult = z.object({ known: z.array(z.string()) });

export const ITEM_CATEGORIES = ["approval", "lint", "reference", "duplicate", "contract", "drift", "ticket"] as const;
export type ItemCategory = (typeof ITEM_CATEGORIES)[number];

export const checkItem = z.object({
  category: z.enum(ITEM_CATEGORIES),
  /** The rule id (lint rules, "unapproved-owned", "broken-reference", "near-duplicate", ...). */
  rule: z.string(),
  level: z.enum(["error", "warning", "note"]),
  /** Whether the repository's policy makes this item fail the check. */
  blocking: z.boolean(),
  line: z.number().int().nullable(),
  message: z.string(),
  /** A path on the server (e.g. /changes/12) to follow up. */
  link: z.string().optional(),
});
export type CheckItem = z.infer<typeof checkItem>;

export const approvalState = z.object({
  /** "unchanged": a governed file the pull request does not change, listed for what the change does to it (drift, references). */
  state: z.enum(["approved", "pending", "unapproved", "deleted", "unchanged", "unknown"]),
  /** How approval was found: the spec's own change, or an identical approved copy elsewhere. */
  via: z.enum(["change", "copy"]).optional(),
  change: z.number().int().optional(),
});

/** A result lists the files the pull request changes, and the governed files it leaves unchanged but affects. */
export const RESULT_STATUSES = [...FILE_STATUSES, "unchanged"] as const;

export const checkFileResult = z.object({
  path: z.string(),
  status: z.enum(RESULT_STATUSES),
  kind: z.string(),
  contentHash: z.string(),
  owners: z.array(z.string()),
  approval: approvalState,
  items: z.array(checkItem),
});
export type CheckFileResult = z.infer<typeof checkFileResult>;

/** The issue key a pull request names, where its repository has a ticket policy. */
export const checkTicket = z.object({ key: z.string(), url: z.string(), where: z.enum(["title", "branch", "commit"]) });
export type CheckTicket = z.infer<typeof checkTicket>;

export const checkResult = z.object({
  id: z.string(),
  repository: z.object({ id: z.string(), name: z.string() }),
  pullRequest: z.number().int().nullable(),
  base: z.string(),
  head: z.string(),
  verdict: z.enum(["pass", "fail"]),
  summary: z.object({ files: z.number().int(), blocking: z.number().int(), errors: z.number().int(), warnings: z.number().int(), notes: z.number().int() }),
  files: z.array(checkFileResult),
  /** Absent on checks stored before tickets were checked; null when the repository has no ticket policy or none was found. */
  ticket: checkTicket.nullable().optional(),
  url: z.string(),
  createdAt: z.string(),
});
export type CheckResult = z.infer<typeof checkResult>;

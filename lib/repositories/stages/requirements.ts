import { randomUUID } from "node:crypto";
import type pg from "pg";
import { v7 as uuidv7 } from "uuid";
import { git, gitStream } from "@/lib/git/git";
import { extractRequirements, type ExtractedRequirement } from "@/lib/requirements/extract";
import { evolveRequirements, type RequirementEvent, type TrackedRequirement } from "@/lib/requirements/identity";
import { GrepMentionParser, MENTION_PATTERN, TEST_PATHSPECS, type TestMention } from "@/lib/requirements/test-scan";
import { inSlices, type Sliced } from "@/lib/slices";
import { BinaryCopyEncoder, copyEncodedRows } from "@/lib/specs/binary-copy";
import type { SpecRow, VersionRow } from "@/lib/specs/history";
import type { SpecKind } from "@/lib/specs/kinds";

/** Only specs of these kinds hold requirements (plans and tasks reference them). */
export const REQUIREMENT_KINDS: ReadonlySet<SpecKind> = new Set<SpecKind>(["spec"]);
/** What a text must contain to be worth extracting: the database filters contents with it, so others never travel. */
const MAY_HOLD = String.raw`(FR|NFR|SC|REQ)-[0-9]|SHALL|Requirement [0-9]`;
const MAY_HOLD_RE = new RegExp(MAY_HOLD);

/**
 * Whether a file's bytes may hold a requirement, before they are decoded: the pattern is ASCII, and
 * in UTF-8 no byte of a multi-byte character is ASCII, so it matches the bytes read as Latin-1
 * exactly where it matches the text. Most versions of most specs never need decoding for the stage.
 */
export function mayHoldRequirements(body: Buffer): boolean {
  return MAY_HOLD_RE.test(body.toString("latin1"));
}

const REQUIREMENT_COLUMNS = [
  "id",
  "specId",
  "key",
  "explicit",
  "text",
  "hash",
  "line",
  "confidence",
  "removed",
  "addedSeq",
  "changedSeq",
  "changedAt",
  "removedSeq",
];
const OCCURRENCE_COLUMNS = ["id", "requirementId", "seq", "commitSha", "committedAt", "event", "key", "text", "hash", "line", "confidence"];

interface StoredRequirement extends TrackedRequirement {
  specId: string;
}

interface CurrentRow {
  specId: string;
  key: string | null;
  explicit: boolean;
  text: string;
  hash: string;
  line: number;
  confidence: number;
  seq: number;
  at: Date;
  event: string;
}

type Occurrence = [string, number, string, Date, string, string | null, string, string, number, number];

/** What replaying an import's versions found, ready to be written. */
interface Replayed {
  state: Map<string, TrackedRequirement[]>;
  current: Map<string, CurrentRow>;
  added: Map<string, number>;
  occurrences: Occurrence[];
  finalVersion: Map<string, { extracted: ExtractedRequirement[]; commit: string }>;
  storedIds: Set<string>;
}

/** A replay under way: `finish` completes it at once, `cancel` stops its slices (a failed import). */
export interface RequirementsReplay {
  finish(): Promise<Replayed | null>;
  cancel(): void;
  /** Why the replay's own reads failed, if they did: the import's transaction is aborted from there on. */
  failure(): unknown;
}

/**
 * Stage 4d, first half: replays each spec's new versions, in order, over the requirements stored
 * for it, extracting each content once. It starts as soon as the versions are planned and runs in
 * slices of a few milliseconds (lib/slices.ts) while the import waits for the server (contents
 * moved from staging, the specs, the versions' COPY, search vectors): those waits are most of the
 * import's time after the read, and the replay fills them instead of running after them. Texts
 * come from the read (`textOf`); those it did not keep are read back, only if they may hold a
 * requirement. Specs the import creates have nothing stored: a first import asks for nothing.
 */
export function replayRequirements(
  client: pg.PoolClient,
  opts: {
    specs: readonly SpecRow[];
    versions: readonly VersionRow[];
    textOf: (hash: string) => string | undefined;
    /** Milliseconds per slice: 1 kept the versions' COPY as fast as without the replay, 4 slowed it (decision 045). */
    sliceMs?: number;
  },
): RequirementsReplay {
  const kinds = new Map(opts.specs.map((s) => [s.id, s.kind]));
  const versions = opts.versions.filter((v) => REQUIREMENT_KINDS.has(kinds.get(v.specId)!));
  if (versions.length === 0) return { finish: async () => null, cancel: () => {}, failure: () => undefined };
  const specIds = [...new Set(versions.map((v) => v.specId))];
  const created = new Set(opts.specs.filter((s) => s.isNew).map((s) => s.id));
  const known = specIds.filter((id) => !created.has(id));
  const missing = [...new Set(versions.map((v) => v.contentHash).filter((hash) => opts.textOf(hash) === undefined))];
  // The pg client queues these behind the import's own queries: nothing waits for them but the replay.
  const ready = (async () => {
    const fetched = new Map<string, string>();
    if (missing.length > 0) {
      const { rows } = await client.query<{ hash: string; text: string }>(`SELECT hash, text FROM "Content" WHERE hash = ANY($1::text[]) AND text ~ $2`, [
        missing,
        MAY_HOLD,
      ]);
      for (const r of rows) fetched.set(r.hash, r.text);
    }
    const stored =
      known.length === 0
        ? []
        : (
            await client.query<StoredRequirement>(
              `SELECT id, "specId", key, explicit, text, hash, line FROM "Requirement" WHERE "specId" = ANY($1::text[]) AND NOT removed ORDER BY line, id`,
              [known],
            )
          ).rows;
    return { fetched, stored };
  })();
  let sliced: Sliced<Replayed> | undefined;
  let cancelled = false;
  const start = (read: Awaited<typeof ready>) => (sliced ??= inSlices(replaySteps(versions, specIds, read, opts.textOf), opts.sliceMs ?? 1));
  // A failed read is thrown by finish, and kept: the import's next statement fails with "transaction aborted" before then.
  let failed: unknown;
  ready.then((read) => !cancelled && start(read)).catch((error) => void (failed = error));
  return {
    async finish() {
      return start(await ready).finish();
    },
    cancel() {
      cancelled = true;
      sliced?.cancel();
    },
    failure: () => failed,
  };
}

/** The replay, one version a step. */
function* replaySteps(
  versions: readonly VersionRow[],
  specIds: readonly string[],
  read: { fetched: ReadonlyMap<string, string>; stored: readonly StoredRequirement[] },
  textOf: (hash: string) => string | undefined,
): Generator<undefined, Replayed, undefined> {
  const state = new Map<string, TrackedRequirement[]>(specIds.map((id) => [id, []]));
  for (const r of read.stored) state.get(r.specId)!.push(r);
  const extracted = new Map<string, ExtractedRequirement[]>();
  const occurrences: Occurrence[] = [];
  // The newest event of every requirement this import touched, by id; the present ones take their state from the last version below.
  const lastEvent = new Map<string, { specId: string; event: string; explicit: boolean; seq: number; at: Date; e: RequirementEvent }>();
  const added = new Map<string, number>();
  const lastHash = new Map<string, string>();
  const finalVersion = new Map<string, { extracted: ExtractedRequirement[]; commit: string }>();
  for (const v of versions) {
    // A version with its predecessor's content (a revert of a revert, a rename) changes nothing.
    if (lastHash.get(v.specId) === v.contentHash) continue;
    lastHash.set(v.specId, v.contentHash);
    let next = extracted.get(v.contentHash);
    if (!next) {
      const text = textOf(v.contentHash) ?? read.fetched.get(v.contentHash) ?? "";
      extracted.set(v.contentHash, (next = MAY_HOLD_RE.test(text) ? extractRequirements(text) : []));
    }
    const prior = state.get(v.specId)!;
    const step = evolveRequirements(prior, next, randomUUID);
    state.set(v.specId, step.state);
    // The state is index-aligned with the extraction: its [@test] links are the final version's.
    finalVersion.set(v.specId, { extracted: next, commit: v.version.commit.sha });
    const at = v.version.commit.committedAt;
    for (const e of step.events) {
      occurrences.push([e.requirementId, v.seq, v.version.commit.sha, at, e.event, e.key, e.text, e.hash, e.line, e.confidence]);
      if (e.event === "added") added.set(e.requirementId, v.seq);
      lastEvent.set(e.requirementId, { specId: v.specId, event: e.event, explicit: e.explicit, seq: v.seq, at, e });
    }
    yield;
  }
  // Every present requirement takes its newest position, id and confidence; seq and time say when its text last changed (-1: before this import).
  const current = new Map<string, CurrentRow>();
  for (const [specId, present] of state) {
    for (const r of present) {
      const last = lastEvent.get(r.id);
      current.set(r.id, {
        specId,
        key: r.key,
        explicit: r.explicit,
        text: r.text,
        hash: r.hash,
        line: r.line,
        confidence: (r as { confidence?: number }).confidence ?? 1,
        seq: last?.seq ?? -1,
        at: last?.at ?? new Date(0),
        event: last?.event ?? "kept",
      });
    }
  }
  // A requirement gone by the last version: its removal is its newest event.
  for (const [id, last] of lastEvent) {
    if (current.has(id)) continue;
    const { e } = last;
    current.set(id, {
      specId: last.specId,
      key: e.key,
      explicit: last.explicit,
      text: e.text,
      hash: e.hash,
      line: e.line,
      confidence: e.confidence,
      seq: last.seq,
      at: last.at,
      event: last.event,
    });
  }
  return { state, current, added, occurrences, finalVersion, storedIds: new Set(read.stored.map((r) => r.id)) };
}

/**
 * Stage 4d, second half: writes what the replay found: new requirements, their current state, and
 * one history row per added, changed or removed requirement and version, then the `[@test path]`
 * links. Runs in the import's transaction, after the versions are recorded.
 */
export async function recordRequirements(
  client: pg.PoolClient,
  opts: {
    replay: RequirementsReplay;
    /** Where `[@test path]` links are checked: the repository and the import's head. */
    gitDir: string;
    head: string;
    /** Told when each part of the stage ends (the import's step timings). */
    onStep?: (name: string) => void;
  },
): Promise<{ requirements: number; events: number }> {
  const replayed = await opts.replay.finish();
  opts.onStep?.("requirements: replay (the rest)");
  if (!replayed || replayed.current.size === 0) return { requirements: 0, events: 0 };
  const { state, current, added, occurrences, finalVersion, storedIds } = replayed;

  const all = [...current].map(([id, r]) => ({ id, ...r, addedSeq: added.get(id) ?? null }));
  // New requirements (all of them on a first import) go in with one binary COPY, every column set.
  const fresh = all.filter((r) => !storedIds.has(r.id));
  if (fresh.length > 0) {
    const encoder = new BinaryCopyEncoder();
    for (const r of fresh) {
      const removed = r.event === "removed";
      encoder.row(13).text(r.id).text(r.specId).text(r.key).bool(r.explicit).text(r.text).text(r.hash).int4(r.line).float8(r.confidence).bool(removed);
      encoder
        .int4(r.addedSeq ?? r.seq)
        .int4(r.seq)
        .timestamp(r.at);
      if (removed) encoder.int4(r.seq);
      else encoder.null();
    }
    await copyEncodedRows(client, `"Requirement"`, REQUIREMENT_COLUMNS, encoder.finish());
  }
  // Stored ones keep addedSeq and take changedSeq/At only when their text changed.
  const kept = all.filter((r) => storedIds.has(r.id));
  if (kept.length > 0)
    await client.query(
      `INSERT INTO "Requirement" (id, "specId", key, explicit, text, hash, line, confidence, removed, "addedSeq", "changedSeq", "changedAt", "removedSeq")
     SELECT t.id, t.spec, t.key, t.explicit, t.text, t.hash, t.line, t.confidence, t.event = 'removed', t.added, t.seq, t.at,
            CASE WHEN t.event = 'removed' THEN t.seq END
     FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::text[], $6::text[], $7::int[], $8::float8[], $9::text[], $10::int[], $11::int[], $12::timestamptz[])
       AS t(id, spec, key, explicit, text, hash, line, confidence, event, added, seq, at)
     ON CONFLICT (id) DO UPDATE SET
       key = CASE WHEN excluded.removed THEN "Requirement".key ELSE excluded.key END,
       explicit = CASE WHEN excluded.removed THEN "Requirement".explicit ELSE excluded.explicit END,
       text = excluded.text, hash = excluded.hash, line = excluded.line, confidence = excluded.confidence,
       removed = excluded.removed, "removedSeq" = excluded."removedSeq",
       "changedSeq" = CASE WHEN excluded."changedSeq" >= 0 THEN excluded."changedSeq" ELSE "Requirement"."changedSeq" END,
       "changedAt" = CASE WHEN excluded."changedSeq" >= 0 THEN excluded."changedAt" ELSE "Requirement"."changedAt" END`,
      [
        kept.map((r) => r.id),
        kept.map((r) => r.specId),
        kept.map((r) => r.key),
        kept.map((r) => r.explicit),
        kept.map((r) => r.text),
        kept.map((r) => r.hash),
        kept.map((r) => r.line),
        kept.map((r) => r.confidence),
        kept.map((r) => r.event),
        kept.map((r) => r.addedSeq ?? r.seq),
        kept.map((r) => r.seq),
        kept.map((r) => r.at),
      ],
    );
  opts.onStep?.("requirements: write state");
  if (occurrences.length > 0) {
    // One binary COPY: a full import writes a history row per requirement and version that changed it (tens of thousands).
    const rows = new BinaryCopyEncoder();
    for (const [requirementId, seq, commitSha, committedAt, event, key, text, hash, line, confidence] of occurrences) {
      rows
        .row(11)
        .text(uuidv7())
        .text(requirementId)
        .int4(seq)
        .text(commitSha)
        .timestamp(committedAt)
        .text(event)
        .text(key)
        .text(text)
        .text(hash)
        .int4(line)
        .float8(confidence);
    }
    await copyEncodedRows(client, `"RequirementOccurrence"`, OCCURRENCE_COLUMNS, rows.finish());
  }
  opts.onStep?.("requirements: write");
  await recordExplicitLinks(client, { gitDir: opts.gitDir, head: opts.head, touched: all.map((r) => r.id), state, finalVersion });
  return { requirements: all.length, events: occurrences.length };
}

/**
 * The `[@test path]` links of every requirement whose spec this import replayed, replacing the
 * ones stored: each path is looked up at the commit of the version that wrote it (a path missing
 * there is kept and marked missing, so that it is reported), and a found one takes the commit
 * where the test last changed, as grep-found links do.
 */
async function recordExplicitLinks(
  client: pg.PoolClient,
  opts: {
    gitDir: string;
    head: string;
    /** Every requirement this import wrote, removed ones included: their stored links are replaced. */
    touched: string[];
    state: ReadonlyMap<string, readonly TrackedRequirement[]>;
    finalVersion: ReadonlyMap<string, { extracted: ExtractedRequirement[]; commit: string }>;
  },
) {
  const links: Array<{ requirementId: string; path: string; commit: string }> = [];
  for (const [specId, present] of opts.state) {
    const final = opts.finalVersion.get(specId);
    present.forEach((r, i) => {
      for (const path of final?.extracted[i]?.tests ?? []) links.push({ requirementId: r.id, path, commit: final!.commit });
    });
  }
  await client.query(`DELETE FROM "RequirementTestLink" WHERE "requirementId" = ANY($1::text[])`, [opts.touched]);
  if (links.length === 0) return;
  const existing = new Set<string>(); // `${commit}\u0000${path}`
  const byCommit = new Map<string, Set<string>>();
  for (const l of links) {
    if (!isRepositoryPath(l.path)) continue;
    const paths = byCommit.get(l.commit) ?? new Set<string>();
    byCommit.set(l.commit, paths.add(l.path));
  }
  for (const [commit, paths] of byCommit) {
    const list = [...paths];
    for (let i = 0; i < list.length; i += 500) {
      const output = await git([
        "--git-dir",
        opts.gitDir,
        "ls-tree",
        "-r",
        "--name-only",
        "-z",
        commit,
        "--",
        ...list.slice(i, i + 500).map((p) => `:(literal)${p}`),
      ]);
      const files = output.split("\u0000").filter(Boolean);
      // A folder counts when it holds a file: `[@test tests/login/]` names a suite.
      for (const p of list.slice(i, i + 500)) {
        const folder = `${p.replace(/\/+$/, "")}/`;
        if (files.some((f) => f === p || f.startsWith(folder))) existing.add(`${commit}\u0000${p}`);
      }
    }
  }
  const found = links.filter((l) => existing.has(`${l.commit}\u0000${l.path}`));
  const lastChange = await lastCommits(opts.gitDir, opts.head, [...new Set(found.map((l) => l.path))]);
  const rows = links.map((l) => {
    const folder = `${l.path.replace(/\/+$/, "")}/`;
    // A folder's newest change is its newest file's (the map is in log order, newest first).
    const last = existing.has(`${l.commit}\u0000${l.path}`) ? (lastChange.get(l.path) ?? [...lastChange].find(([f]) => f.startsWith(folder))?.[1]) : undefined;
    return { ...l, missing: !existing.has(`${l.commit}\u0000${l.path}`), testCommit: last?.sha ?? null, testChangedAt: last?.at ?? null };
  });
  await client.query(
    `INSERT INTO "RequirementTestLink" (id, "requirementId", path, missing, "testCommit", "testChangedAt")
     SELECT gen_random_uuid()::text, * FROM unnest($1::text[], $2::text[], $3::boolean[], $4::text[], $5::timestamptz[])
     ON CONFLICT DO NOTHING`,
    [rows.map((r) => r.requirementId), rows.map((r) => r.path), rows.map((r) => r.missing), rows.map((r) => r.testCommit), rows.map((r) => r.testChangedAt)],
  );
}

/** A relative path inside the repository: no leading slash, no `..` or empty segment, no control characters. */
function isRepositoryPath(path: string): boolean {
  return (
    path.length > 0 &&
    !path.startsWith("/") &&
    !/[\u0000-\u001f]/.test(path) &&
    path.split("/").every((s, i, all) => s !== ".." && s !== "." && (s !== "" || i === all.length - 1))
  );
}

/**
 * Stage 4e, test links: records the lines of the repository's test files that name a
 * requirement id, with the commit where each file last changed. A full import scans every
 * test file at the head; an incremental one only the test files the new commits changed
 * (the others' mentions stay as they were). Runs in the import's transaction.
 */
export async function recordTestMentions(
  client: pg.PoolClient,
  opts: { repositoryId: string; gitDir: string; head: string; from: string | null },
): Promise<number> {
  let pathspecs = TEST_PATHSPECS;
  if (opts.from) {
    const changed = await git(["--git-dir", opts.gitDir, "diff", "--name-only", "-z", "--no-renames", opts.from, opts.head, "--", ...TEST_PATHSPECS]);
    const paths = changed.split("\u0000").filter(Boolean);
    if (paths.length === 0) return 0;
    await client.query(`DELETE FROM "TestMention" WHERE "repositoryId" = $1 AND path = ANY($2::text[])`, [opts.repositoryId, paths]);
    pathspecs = paths.map((p) => `:(literal)${p}`);
  } else {
    await client.query(`DELETE FROM "TestMention" WHERE "repositoryId" = $1`, [opts.repositoryId]);
  }
  const mentions: TestMention[] = [];
  const parser = new GrepMentionParser(opts.head);
  // The pathspecs go in chunks: thousands of changed test files would overflow the command line.
  // The output streams through the parser, which keeps a bounded part of each line.
  for (let i = 0; i < pathspecs.length; i += 500) {
    await gitStream(
      ["--git-dir", opts.gitDir, "grep", "-z", "-n", "-I", "-E", "-e", MENTION_PATTERN, opts.head, "--", ...pathspecs.slice(i, i + 500)],
      (chunk) => void mentions.push(...parser.push(chunk)),
      { okCodes: [0, 1] }, // git grep exits 1 when nothing matches
    );
  }
  mentions.push(...parser.end());
  if (mentions.length === 0) return 0;
  const files = [...new Set(mentions.map((m) => m.path))];
  const lastChange = await lastCommits(opts.gitDir, opts.head, files);
  const rows = mentions.filter((m) => lastChange.has(m.path));
  await client.query(
    `INSERT INTO "TestMention" (id, "repositoryId", path, line, key, how, "testCommit", "testChangedAt", feature)
     SELECT gen_random_uuid()::text, $1, * FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[])
     ON CONFLICT DO NOTHING`,
    [
      opts.repositoryId,
      rows.map((m) => m.path),
      rows.map((m) => m.line),
      rows.map((m) => m.key),
      rows.map((m) => m.how),
      rows.map((m) => lastChange.get(m.path)!.sha),
      rows.map((m) => lastChange.get(m.path)!.at),
      rows.map((m) => m.feature),
    ],
  );
  return rows.length;
}

/** The newest commit (at or before head) that changed each file, from one `git log` walk. */
async function lastCommits(gitDir: string, head: string, files: string[]): Promise<Map<string, { sha: string; at: Date }>> {
  const found = new Map<string, { sha: string; at: Date }>();
  for (let i = 0; i < files.length; i += 500) {
    const chunk = files.slice(i, i + 500);
    const output = await git([
      "--git-dir",
      gitDir,
      "log",
      "--format=%x01%H %cI",
      "--name-only",
      "-z",
      "--no-renames",
      head,
      "--",
      ...chunk.map((p) => `:(literal)${p}`),
    ]);
    let commit: { sha: string; at: Date } | null = null;
    for (const token of output.split("\u0000")) {
      const t = token.replace(/^\n+/, "");
      const header = /^\u0001([0-9a-f]{40,64}) (\S+)\n?([\s\S]*)$/.exec(t);
      let name = t;
      if (header) {
        commit = { sha: header[1], at: new Date(header[2]) };
        name = header[3];
      }
      if (commit && name && !found.has(name)) found.set(name, commit);
    }
  }
  return found;
}

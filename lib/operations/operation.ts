import type pg from "pg";
import { z } from "zod";
import { appendAuditEvent, type RunResult } from "@/lib/audit";
import { assertCan, type Permission, type Viewer } from "@/lib/auth/permissions";
import type { Prisma } from "@/lib/db";
import { conflictFromDatabase } from "@/lib/db/errors";
import { withPgConnection, withPgTransaction } from "@/lib/db/pg";
import { serializable } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { idempotent } from "./idempotency";

// The one pipeline every write goes through (docs/decisions/016-operation-layer.md):
// permission on the viewer → parse the input → one transaction that runs the domain work
// and appends its audit events → parse the output → after-commit effects. Route handlers,
// server actions and the CLI all call operations; none assembles this pipeline itself.

export type { Viewer };

export type Client = { prisma: Prisma.TransactionClient; pg: pg.PoolClient };

export interface OperationSpec<I extends z.ZodType, O extends z.ZodType, K extends keyof Client> {
  /** "changes.propose": names the operation in logs, the registry and the OpenAPI document. */
  name: string;
  summary: string;
  input: I;
  output: O;
  /** Checked on the viewer before anything else; `run` checks the target itself. */
  permission: Permission;
  /** Which client `run` gets: Prisma (the default), or pg for bulk writes. */
  client?: K;
  /** Read committed for writes that cannot conflict; serializable (retried) otherwise. */
  isolation?: "serializable" | "read-committed";
  /** Whether a caller's Idempotency-Key makes a retry return the first answer (pg operations). */
  idempotent?: boolean;
  /**
   * pg operations whose write is one statement (atomic on its own) and that append no audit
   * event: without an Idempotency-Key they skip BEGIN/COMMIT, two round trips on the hot
   * ingest path (runs).
   */
  singleStatement?: boolean;
  run(ctx: { tx: Client[K]; viewer: Viewer; input: z.output<I> }): Promise<RunResult<z.input<O>>>;
  /** Effects after the commit (queue a job, notify, forget a cache). A failure is logged, never undoes the write. */
  after?(ctx: { result: z.output<O>; viewer: Viewer; input: z.output<I>; facts: Record<string, unknown> }): Promise<unknown>[] | void;
}

export interface Operation<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType, K extends keyof Client = keyof Client> extends OperationSpec<
  I,
  O,
  K
> {
  kind: "operation";
  /** Runs the operation as `viewer`. `raw` is parsed with the input schema. */
  (viewer: Viewer, raw: z.input<I>, options?: ExecuteOptions): Promise<z.output<O>>;
}

export interface ExecuteOptions {
  /** The Idempotency-Key header (operations declared idempotent). */
  idempotencyKey?: string | null;
  /** The request body as sent, fingerprinted for idempotency (defaults to the raw input). */
  fingerprintOf?: unknown;
}

/** Parses input; a refusal is an AppError naming each problem, with zod's issues for clients. */
export function parseInput<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
    .join("; ");
  throw new AppError("unprocessable", message || "The request is not valid.", { issues: parsed.error.issues });
}

/** Declares an operation: the result is a function `(viewer, input) → output` carrying its declaration. */
export function operation<I extends z.ZodType, O extends z.ZodType, K extends keyof Client = "prisma">(spec: OperationSpec<I, O, K>): Operation<I, O, K> {
  const execute = async (viewer: Viewer, raw: z.input<I>, options: ExecuteOptions = {}): Promise<z.output<O>> => {
    assertCan(viewer, spec.permission);
    const input = parseInput(spec.input, raw) as z.output<I>;
    const actor = { id: viewer.id, label: viewer.email };
    // Facts the run hands its after-commit effects; a replay (the stored answer) hands none.
    let facts: Record<string, unknown> = {};
    const audited = async (tx: Client[K]): Promise<z.output<O>> => {
      const { result, audit, facts: learnt } = await spec.run({ tx, viewer, input });
      facts = learnt ?? {};
      for (const entry of audit === undefined ? [] : Array.isArray(audit) ? audit : [audit]) {
        await appendAuditEvent(
          spec.client === "pg" ? { client: tx as pg.PoolClient, actor, ...entry } : { tx: tx as Prisma.TransactionClient, actor, ...entry },
        );
      }
      // Parsed inside the transaction: an answer that does not match its schema rolls back.
      return spec.output.parse(result) as z.output<O>;
    };
    const transact = async (): Promise<z.output<O>> => {
      const key = spec.idempotent ? (options.idempotencyKey ?? null) : null;
      if (spec.client === "pg" && spec.singleStatement && key === null) {
        return withPgConnection(async (client) => {
          const { result, audit, facts: learnt } = await spec.run({ tx: client as Client[K], viewer, input });
          facts = learnt ?? {};
          if (audit !== undefined) throw new Error(`${spec.name} is declared singleStatement but appends audit events`);
          return spec.output.parse(result) as z.output<O>;
        }, spec.name);
      }
      if (spec.client === "pg") {
        return withPgTransaction(async (client) => {
          if (key === null) return audited(client as Client[K]);
          const request = options.fingerprintOf ?? raw;
          const stored = await idempotent(client, { userId: viewer.id, key, request }, async () => JSON.stringify(await audited(client as Client[K])));
          return JSON.parse(stored) as z.output<O>;
        }, spec.name);
      }
      return serializable((tx) => audited(tx as Client[K]), { name: spec.name, isolation: spec.isolation });
    };
    let output: z.output<O>;
    try {
      output = await transact();
    } catch (error) {
      throw conflictFromDatabase(error) ?? error;
    }
    // The effects start together; each failure is logged on its own and none reaches the caller.
    const effects = spec.after?.({ result: output, viewer, input, facts }) ?? [];
    await Promise.all(effects.map((effect) => effect.catch((error) => console.error(`[${spec.name}] after-commit effect failed`, error))));
    return output;
  };
  // A function's own `name` is read-only for assignment, so the declaration is defined onto it.
  for (const [key, value] of Object.entries({ ...spec, kind: "operation" })) {
    Object.defineProperty(execute, key, { value, enumerable: true });
  }
  return execute as unknown as Operation<I, O, K>;
}

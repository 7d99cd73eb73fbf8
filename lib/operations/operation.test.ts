import { describe, expect, it } from "vitest";
import { z } from "zod";
import { can, PERMISSIONS, SCOPE_FOR, type Permission } from "@/lib/auth/permissions";
import { db, type Role } from "@/lib/db";
import { randomName } from "@/lib/testing/git-repo";
import { OPERATIONS } from "./index";
import { operation, type OperationSpec } from "./operation";

const ROLES: Role[] = ["admin", "maintainer", "reviewer", "viewer"];
const viewerOf = (role: Role, scopes?: string[]) => ({ id: `matrix-${role}`, email: `${role}@matrix.test`, role, ...(scopes ? { scopes } : {}) });

describe("every operation", () => {
  it("is declared once, with a unique name and a permission from the table", () => {
    const names = OPERATIONS.map((op) => op.name);
    expect(new Set(names).size).toBe(names.length);
    expect(OPERATIONS.length).toBeGreaterThanOrEqual(15);
    for (const op of OPERATIONS) expect(Object.keys(PERMISSIONS)).toContain(op.permission);
  });

  // One matrix over all operations instead of one per route: a role outside the permission is
  // refused before anything is read; a role inside it gets as far as parsing (null is no input).
  it.each(OPERATIONS.flatMap((op) => ROLES.map((role) => [op.name, role, op] as const)))(
    "%s as %s: allowed exactly when the permission table says",
    async (_name, role, op) => {
      const attempt = op(viewerOf(role), null as never);
      if (can(role, op.permission)) await expect(attempt).rejects.toMatchObject({ code: "unprocessable" });
      else await expect(attempt).rejects.toMatchObject({ code: "forbidden" });
    },
  );

  it.each(OPERATIONS.map((op) => [op.name, op] as const))("%s through a token: needs its scope, whatever the owner's role", async (_name, op) => {
    await expect(op(viewerOf("admin", []), null as never)).rejects.toMatchObject({ code: "forbidden" });
    const scope = SCOPE_FOR[op.permission as Permission];
    const withScope = op(viewerOf("admin", scope ? [scope] : ["admin"]), null as never);
    if (scope) await expect(withScope).rejects.toMatchObject({ code: "unprocessable" });
    else await expect(withScope).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("an operation", () => {
  const subject = () => `test:${randomName("op")}`;
  const input = z.object({ subject: z.string(), fail: z.enum(["no", "run", "output"]).default("no") }).strict();
  const output = z.object({ ok: z.literal(true) });
  type Spec = OperationSpec<typeof input, typeof output, "prisma">;
  const make = (run: Spec["run"], after?: Spec["after"]) =>
    operation({ name: "test.op", summary: "test", input, output, permission: "reviews:decide", run, after });
  const admin = { id: "op-admin", email: "admin@op.test", role: "admin" as const };

  it("appends its audit event in its transaction, as the viewer", async () => {
    const op = make(async ({ input }) => ({ result: { ok: true }, audit: { action: "test.done", subject: input.subject, payload: { n: 1 } } }));
    const s = subject();
    await op(admin, { subject: s });
    const events = await db.auditEvent.findMany({ where: { subject: s } });
    expect(events.map((e) => [e.action, e.actorLabel, e.payload])).toEqual([["test.done", "admin@op.test", { n: 1 }]]);
  });

  it("writes nothing when run fails, or when its answer does not match its output schema", async () => {
    const op = make(async ({ tx, input }) => {
      await tx.workspaceSetting.create({ data: { key: input.subject, value: {} } });
      if (input.fail === "run") throw new Error("changed my mind");
      return { result: (input.fail === "output" ? { ok: "yes" } : { ok: true }) as { ok: true }, audit: { action: "test.done", subject: input.subject } };
    });
    for (const fail of ["run", "output"] as const) {
      const s = subject();
      await expect(op(admin, { subject: s, fail })).rejects.toBeTruthy();
      expect(await db.workspaceSetting.count({ where: { key: s } })).toBe(0);
      expect(await db.auditEvent.count({ where: { subject: s } })).toBe(0);
    }
  });

  it("runs its effects after the commit, and a failing effect never undoes the write", async () => {
    const seen: number[] = [];
    const op = make(
      async ({ tx, input }) => {
        await tx.workspaceSetting.create({ data: { key: input.subject, value: {} } });
        return { result: { ok: true } };
      },
      ({ input }) => [
        db.workspaceSetting.count({ where: { key: input.subject } }).then((n) => void seen.push(n)),
        Promise.reject(new Error("the receiver is down")),
      ],
    );
    const s = subject();
    await expect(op(admin, { subject: s })).resolves.toEqual({ ok: true });
    expect(seen).toEqual([1]);
    expect(await db.workspaceSetting.count({ where: { key: s } })).toBe(1);
  });

  it("refuses the global clients inside its transaction, so nothing can starve the pool", async () => {
    const op = make(async () => {
      await db.user.count();
      return { result: { ok: true } };
    });
    await expect(op(admin, { subject: subject() })).rejects.toThrow(/global database client \(db\) was used inside the transaction "test.op"/);
  });

  it("turns a lost race on a unique value into a conflict, not a 500", async () => {
    const key = subject();
    const op = make(async ({ tx }) => {
      await tx.workspaceSetting.create({ data: { key, value: {} } });
      return { result: { ok: true } };
    });
    await op(admin, { subject: key });
    await expect(op(admin, { subject: key })).rejects.toMatchObject({ code: "conflict" });
  });

  it("refuses bad input with every problem named, before any transaction", async () => {
    const op = make(async () => ({ result: { ok: true } }));
    await expect(op(admin, { subject: 1, extra: true } as never)).rejects.toMatchObject({ code: "unprocessable", message: expect.stringMatching(/subject/) });
  });
});

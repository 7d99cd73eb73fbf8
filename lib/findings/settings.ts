import { z } from "zod";
import { appendAuditEvent } from "@/lib/audit";
import { assertCan, type Actor } from "@/lib/auth/permissions";
import { db, Prisma } from "@/lib/db";
import { lintConfigSchema } from "./lint";

const SETTINGS_KEY = "findings";

/** Which checks run, and the lint rules and thresholds: one workspace setting, edited by admins. */
export const findingsConfigSchema = z.object({
  types: z
    .object({
      unreviewed: z.boolean().default(true),
      stale: z.boolean().default(true),
      "broken-reference": z.boolean().default(true),
      "competing-instructions": z.boolean().default(true),
      "deployed-stale": z.boolean().default(true),
      duplicate: z.boolean().default(true),
      lint: z.boolean().default(true),
    })
    .prefault({}),
  lint: lintConfigSchema.prefault({}),
});

export type FindingsConfig = z.infer<typeof findingsConfigSchema>;

/** The workspace's findings configuration; defaults for anything unset or no longer valid. */
export async function getFindingsConfig(): Promise<FindingsConfig> {
  const row = await db.workspaceSetting.findUnique({ where: { key: SETTINGS_KEY } });
  const parsed = findingsConfigSchema.safeParse(row?.value ?? {});
  return parsed.success ? parsed.data : findingsConfigSchema.parse({});
}

type Viewer = Actor & { id: string; email: string };

/** Saves the configuration (admins), audited with the old and new values. */
export async function updateFindingsConfig(opts: { viewer: Viewer; config: unknown }): Promise<FindingsConfig> {
  assertCan(opts.viewer, "policies:manage");
  const config = findingsConfigSchema.parse(opts.config);
  await db.$transaction(async (tx) => {
    const before = await tx.workspaceSetting.findUnique({ where: { key: SETTINGS_KEY } });
    const value = config as unknown as Prisma.InputJsonValue;
    await tx.workspaceSetting.upsert({
      where: { key: SETTINGS_KEY },
      create: { key: SETTINGS_KEY, value, updatedById: opts.viewer.id },
      update: { value, updatedById: opts.viewer.id },
    });
    await appendAuditEvent({
      tx,
      actor: { id: opts.viewer.id, label: opts.viewer.email },
      action: "findings.settings_changed",
      subject: "workspace:findings",
      payload: { before: (before?.value ?? null) as Prisma.InputJsonValue, after: value },
    });
  });
  return config;
}

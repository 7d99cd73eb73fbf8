import { z } from "zod";
import type { RunResult } from "@/lib/audit";
import type { Viewer } from "@/lib/auth/permissions";
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
      // On since its findings were measured on the 35 corpus repositories (decision 035, stop 24): 16 of 16 right after the
      // limits and the comparator were corrected. What an agent loads, cut or unresolved, and files loading together that contradict.
      "effective-instructions": z.boolean().default(true),
      // Opt-in "no oracle, no merge" (decision 045): how often a requirement without a linked test is a real gap is unmeasured.
      "requirement-oracle": z.boolean().default(false),
      "deployed-stale": z.boolean().default(true),
      duplicate: z.boolean().default(true),
      lint: z.boolean().default(true),
      budget: z.boolean().default(true),
    })
    .prefault({}),
  stale: z
    .object({
      // Off by default (decision 048): inferred governance (the code beside a specs folder, folders a
      // tasks file names) made nearly every spec of a Spec Kit repository stale after any code commit.
      inferredGovernance: z.boolean().default(false),
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

/** Saves the configuration (admins), audited with the old and new values. Run by the findings.update-settings operation. */
export async function updateFindingsConfig(tx: Prisma.TransactionClient, config: FindingsConfig, viewer: Viewer): Promise<RunResult<FindingsConfig>> {
  const before = await tx.workspaceSetting.findUnique({ where: { key: SETTINGS_KEY } });
  const value = config as unknown as Prisma.InputJsonValue;
  await tx.workspaceSetting.upsert({
    where: { key: SETTINGS_KEY },
    create: { key: SETTINGS_KEY, value, updatedById: viewer.id },
    update: { value, updatedById: viewer.id },
  });
  return {
    result: config,
    audit: { action: "findings.settings_changed", subject: "workspace:findings", payload: { before: before?.value ?? null, after: value } },
  };
}

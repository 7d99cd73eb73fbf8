// A repository's GitHub webhook secret: generated here, stored encrypted (lib/crypto/secrets.ts),
// shown to the admin once, and rotated by setting a new one (docs/decisions/023-github-webhooks.md).
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { RunResult } from "@/lib/audit";
import type { Viewer } from "@/lib/auth/permissions";
import { encryptSecret } from "@/lib/crypto/secrets";
import type { Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { idString } from "@/lib/schema";

export const webhookSecretInput = z.object({ repositoryId: idString() }).strict();
export const webhookSecretOutput = z.object({ repositoryId: z.string(), secret: z.string(), rotated: z.boolean() });

/** Generates a new secret for the repository (replacing any old one at once) and returns it, once. */
export async function setWebhookSecret(
  tx: Prisma.TransactionClient,
  viewer: Viewer,
  input: z.output<typeof webhookSecretInput>,
): Promise<RunResult<z.input<typeof webhookSecretOutput>>> {
  const repo = await tx.repository.findUnique({ where: { id: input.repositoryId }, select: { id: true, webhookSecret: true } });
  if (!repo) throw new AppError("not_found", "Repository not found.");
  // 32 random bytes: GitHub accepts any string; this one is long enough that guessing is hopeless.
  const secret = randomBytes(32).toString("base64url");
  await tx.repository.update({ where: { id: repo.id }, data: { webhookSecret: encryptSecret(secret) } });
  const rotated = repo.webhookSecret !== null;
  return {
    result: { repositoryId: repo.id, secret, rotated },
    // The secret itself never goes into the audit log.
    audit: {
      action: rotated ? "repository.webhook_secret_rotated" : "repository.webhook_secret_set",
      subject: `repository:${repo.id}`,
      payload: { by: viewer.email },
    },
  };
}

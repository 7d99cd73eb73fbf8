import { db } from "@/lib/db";
import { decideChange, proposeChange } from "@/lib/operations/reviews";

const user = (email: string) => db.user.findUniqueOrThrow({ where: { email }, select: { id: true, email: true, role: true } });

async function ownedSpec(owner: string, kind?: string) {
  const spec = await db.spec.findFirst({
    where: { deleted: false, owners: { has: owner }, ...(kind ? { kind } : {}) },
    orderBy: { path: "asc" },
    select: { id: true, path: true, currentHash: true },
  });
  if (!spec?.currentHash) return null;
  const { text } = await db.content.findUniqueOrThrow({ where: { hash: spec.currentHash } });
  return { ...spec, text };
}

/**
 * Proposals in every state, made through the same functions the app uses, so the review
 * queue, the policy panel and the audit log have something real to show. Runs once.
 */
export async function seedDemoReviews(opts: { log?: (message: string) => void } = {}) {
  if ((await db.change.count({ where: { origin: "proposal", author: { email: "maya.maintainer@specledger.local" } } })) > 0) return;
  const [maya, rui, dana] = await Promise.all([
    user("maya.maintainer@specledger.local"),
    user("rui.reviewer@specledger.local"),
    user("dana.whitfield@acme.example"),
  ]);
  const agents = await ownedSpec("@acme/platform", "agent");
  const payments = await ownedSpec("@acme/payments", "spec");
  const plan = await ownedSpec("@acme/payments", "plan");
  if (!agents || !payments || !plan) {
    opts.log?.("demo reviews: the demo repositories lack the expected owned specs; skipped");
    return;
  }

  // Waiting for the platform team, which the admin is in: the demo user's queue.
  await proposeChange(maya, {
    specId: agents.id,
    title: "Pin the package manager for agents",
    description: "Agents kept reaching for npm; say pnpm, and which version.",
    content: `${agents.text.trimEnd()}\n\n## Package manager\n\n- Use pnpm 9 (\`corepack enable\`); never npm or yarn.\n`,
  });

  // Approved by a payments owner; ready to apply to the repository.
  const approved = await proposeChange(maya, {
    specId: payments.id,
    title: "Spell out checkout timeouts",
    content: `${payments.text.trimEnd()}\n\n## Timeouts\n\n- A checkout that has not completed after 15 minutes is abandoned and its stock released.\n`,
  });
  await decideChange(rui, { number: approved.number, kind: "approve", contentHash: approved.currentHash, body: "Matches what the service does." });

  // Rejected, with the reason.
  const rejected = await proposeChange(rui, {
    specId: payments.id,
    title: "Drop 3-D Secure",
    content: payments.text.replace(/3-D Secure/g, "no extra authentication"),
  });
  await decideChange(maya, {
    number: rejected.number,
    kind: "reject",
    contentHash: rejected.currentHash,
    body: "3-D Secure is a regulatory requirement (PSD2 SCA).",
  });

  // Superseded by a redo, which a reviewer sent back for changes.
  const draft = await proposeChange(maya, {
    specId: plan.id,
    title: "Retry policy for the payment provider",
    content: `${plan.text.trimEnd()}\n\n## Retries\n\nRetry provider calls.\n`,
  });
  const redo = await proposeChange(maya, {
    specId: plan.id,
    title: "Retry policy for the payment provider, with limits",
    supersedes: draft.number,
    content: `${plan.text.trimEnd()}\n\n## Retries\n\nRetry idempotent provider calls up to 3 times with exponential backoff (200 ms base).\n`,
  });
  await decideChange(dana, { number: redo.number, kind: "request_changes", contentHash: redo.currentHash, body: "Which calls are idempotent? List them." });

  // One imported version reviewed after the fact.
  const imported = await db.change.findFirst({
    where: { origin: "import", state: "unreviewed", spec: { owners: { has: "@acme/payments" } } },
    orderBy: { number: "asc" },
  });
  if (imported) await decideChange(rui, { number: imported.number, kind: "approve", contentHash: imported.currentHash });
  opts.log?.("demo reviews: proposals in every state");
}

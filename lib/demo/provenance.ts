import { db } from "@/lib/db";
import { recordDeployment, reportRunBatch } from "@/lib/operations/provenance";
import { decideChange } from "@/lib/operations/reviews";

const DEMO_SERVICES = ["orders-service", "payments-service"];
const ORDER_REQUIREMENTS = ".kiro/specs/order-history/requirements.md";

/**
 * Agent runs and deployments in staging and production, through the same functions the API
 * uses: orders-service passes the gate to production; payments-service, built on unreviewed
 * specs, does not. Runs once (other deployments in the database, a test's, do not count).
 */
export async function seedDemoProvenance(opts: { log?: (message: string) => void } = {}) {
  if ((await db.deployment.count({ where: { service: { in: DEMO_SERVICES } } })) > 0) return;
  const maya = await db.user.findUniqueOrThrow({ where: { email: "maya.maintainer@specledger.local" }, select: { id: true, email: true, role: true } });
  const rui = await db.user.findUniqueOrThrow({ where: { email: "rui.reviewer@specledger.local" }, select: { id: true, email: true, role: true } });
  const repo = async (name: string) => db.repository.findUnique({ where: { name }, select: { id: true, name: true, headCommit: true } });
  const payments = await repo("payments-service");
  const orders = await repo("orders-service");
  if (!payments?.headCommit || !orders?.headCommit) {
    opts.log?.("demo provenance: the demo repositories are missing; skipped");
    return;
  }
  const specAt = (repository: { id: string }, path: string) =>
    db.spec.findFirst({ where: { repositoryId: repository.id, path, deleted: false }, select: { id: true, path: true, currentHash: true } });

  // orders-service: its order-history requirements are reviewed and approved.
  const requirements = await specAt(orders, ORDER_REQUIREMENTS);
  const agents = await specAt(orders, ".github/copilot-instructions.md");
  for (const spec of [requirements, agents]) {
    const change = spec ? await db.change.findFirst({ where: { specId: spec.id, origin: "import", state: "unreviewed" } }) : null;
    if (change)
      await decideChange(rui, { number: change.number, kind: "approve", contentHash: change.currentHash, body: "Reviewed for the order history release." });
  }

  const report = async (runs: unknown[]) => (await reportRunBatch(maya, { runs } as never)).runs.map((r) => r.id);
  const day = (n: number, h = 10) => new Date(Date.UTC(2026, 10, 17 + n, h)).toISOString();
  const orderRuns = await report([
    {
      externalId: "demo-orders-run-1",
      agent: "kiro",
      model: "claude-sonnet-4",
      repository: orders.name,
      commit: orders.headCommit,
      branch: "feat/order-history",
      startedAt: day(1),
      finishedAt: day(1, 11),
      inputTokens: 182_000,
      outputTokens: 24_500,
      costUsd: 1.87,
      outcome: "succeeded",
      links: [{ label: "PR #41", url: "https://git.example/acme/orders-service/pull/41" }],
      specs: requirements ? [{ repository: orders.name, path: requirements.path, commit: orders.headCommit }] : [],
      instructions: agents ? [{ repository: orders.name, path: agents.path, commit: orders.headCommit }] : [],
    },
  ]);
  const paymentsRuns = await report([
    {
      externalId: "demo-payments-run-1",
      agent: "claude-code",
      model: "claude-opus-4",
      repository: payments.name,
      commit: payments.headCommit,
      branch: "feat/refunds",
      startedAt: day(2),
      finishedAt: day(2, 12),
      inputTokens: 402_000,
      outputTokens: 51_000,
      costUsd: 6.12,
      outcome: "succeeded",
      links: [{ label: "CI job", url: "https://ci.example/acme/payments-service/jobs/8812" }],
      specs: [{ repository: payments.name, path: "specs/002-refund-requests/spec.md", commit: payments.headCommit }],
      instructions: [
        { repository: payments.name, path: "AGENTS.md", commit: payments.headCommit },
        { repository: payments.name, path: "CLAUDE.md", commit: payments.headCommit },
      ],
    },
    {
      externalId: "demo-payments-run-2",
      agent: "codex",
      model: "gpt-5-codex",
      repository: payments.name,
      commit: payments.headCommit,
      startedAt: day(3),
      finishedAt: day(3, 10),
      inputTokens: 96_000,
      outputTokens: 8_200,
      costUsd: 0.74,
      outcome: "failed",
      specs: [{ repository: payments.name, path: "specs/001-checkout/spec.md", commit: payments.headCommit }],
      instructions: [{ repository: payments.name, path: "AGENTS.md", commit: payments.headCommit }],
    },
  ]);

  const deploy = (input: Record<string, unknown>) => recordDeployment(maya, input as never);
  const orderSpecs = [requirements, agents].filter((s) => s?.currentHash).map((s) => ({ contentHash: s!.currentHash! }));
  await deploy({ service: "orders-service", environment: "staging", version: "2.1.0", runs: orderRuns, specs: orderSpecs, deployedAt: day(4) });
  await deploy({ service: "orders-service", environment: "production", version: "2.1.0", runs: orderRuns, specs: orderSpecs, deployedAt: day(5) });
  await deploy({
    service: "payments-service",
    environment: "staging",
    version: "1.4.0",
    commit: payments.headCommit,
    repository: payments.name,
    runs: paymentsRuns,
    deployedAt: day(5, 14),
  });
  opts.log?.("demo provenance: runs, and deployments in staging and production");
}

/**
 * After the commits pushed since the first import are in: a reviewer approves the new
 * order-history requirements (pagination), so orders-service's live builds, made from the
 * version before, are behind the approved spec. Does nothing once it is approved.
 */
export async function seedDemoLaterReviews(opts: { log?: (message: string) => void } = {}) {
  const change = await db.change.findFirst({
    where: { origin: "import", state: "unreviewed", spec: { path: ORDER_REQUIREMENTS, deleted: false, repository: { name: "orders-service" } } },
    orderBy: { number: "desc" },
  });
  if (!change) return;
  const rui = await db.user.findUniqueOrThrow({ where: { email: "rui.reviewer@specledger.local" }, select: { id: true, email: true, role: true } });
  await decideChange(rui, { number: change.number, kind: "approve", contentHash: change.currentHash, body: "Cursor pagination reviewed after it was pushed." });
  opts.log?.("demo reviews: the order-history requirements' pagination version approved after the deployments");
}

import PgBoss from "pg-boss";

export const IMPORT_QUEUE = "import-repository";
export const FINDINGS_QUEUE = "recompute-findings";
export const SYNC_QUEUE = "sync-repositories";
export const NOTIFY_QUEUE = "deliver-notification";
export const DASHBOARD_QUEUE = "compact-dashboard-counts";

/**
 * Outbound webhook retries (docs/decisions/025): exponential backoff from a minute; pg-boss waits
 * between delay·2^(n-1) and delay·2^n before retry n, so ten retries end after 17 to 34 hours.
 */
export const NOTIFY_RETRY = { retryLimit: 10, retryDelay: 60, retryBackoff: true, expireInSeconds: 120 } as const;

// One pg-boss instance per process, shared by producers and workers.
const globalForBoss = globalThis as unknown as { specledgerBoss?: Promise<PgBoss> };

/** The PostgreSQL-backed queue (pg-boss), started on first use. */
export function getQueue(): Promise<PgBoss> {
  globalForBoss.specledgerBoss ??= (async () => {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL is not set");
    const boss = new PgBoss({ connectionString, max: 4 });
    boss.on("error", (error) => console.error("[queue]", error));
    await boss.start();
    if (!(await boss.getQueue(IMPORT_QUEUE))) {
      // An import either succeeds or says why it failed; a blind retry would only repeat it.
      await boss.createQueue(IMPORT_QUEUE, { name: IMPORT_QUEUE, retryLimit: 0 });
    }
    if (!(await boss.getQueue(FINDINGS_QUEUE))) {
      // Recomputing is idempotent, so a failure is retried; "stately" keeps one queued per key.
      await boss.createQueue(FINDINGS_QUEUE, { name: FINDINGS_QUEUE, policy: "stately", retryLimit: 3, retryDelay: 30 });
    }
    if (!(await boss.getQueue(SYNC_QUEUE))) {
      // The minute's sweep: a failed one is not retried (the next minute's is the retry), and
      // "stately" keeps a slow sweep from piling up more than one behind it.
      await boss.createQueue(SYNC_QUEUE, { name: SYNC_QUEUE, policy: "stately", retryLimit: 0 });
    }
    if (!(await boss.getQueue(NOTIFY_QUEUE))) {
      await boss.createQueue(NOTIFY_QUEUE, { name: NOTIFY_QUEUE, ...NOTIFY_RETRY });
    }
    if (!(await boss.getQueue(DASHBOARD_QUEUE))) {
      // Folding the dashboard's deltas is idempotent and the next run catches up: no retries, one at a time.
      await boss.createQueue(DASHBOARD_QUEUE, { name: DASHBOARD_QUEUE, policy: "stately", retryLimit: 0 });
    }
    return boss;
  })();
  return globalForBoss.specledgerBoss;
}

export async function stopQueue() {
  const pending = globalForBoss.specledgerBoss;
  globalForBoss.specledgerBoss = undefined;
  if (pending) await (await pending).stop({ graceful: true, timeout: 10_000 });
}

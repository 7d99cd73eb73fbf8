import { db } from "@/lib/db";
import { DASHBOARD_QUEUE, getQueue } from "@/lib/jobs/queue";
import { compactCounts } from "./counts";

/**
 * Folds the dashboard's deltas together every ten minutes (decision 037), so the page sums a few
 * hundred rows however many writes there were. Concurrent runs on two workers are safe: each
 * deletes only the rows it saw and writes back their sum.
 */
export async function startDashboardWorker() {
  const queue = await getQueue();
  await queue.schedule(DASHBOARD_QUEUE, "*/10 * * * *", {}, { singletonKey: "compact" });
  await queue.work(DASHBOARD_QUEUE, { pollingIntervalSeconds: 30, batchSize: 1 }, async () => {
    await compactCounts((sql) => db.$queryRawUnsafe(sql));
  });
}

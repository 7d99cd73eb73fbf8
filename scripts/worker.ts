// `npm run worker`: the import, findings, scheduled-sync, notification-delivery and dashboard-compaction workers as their own process, for deployments
// whose web processes run with SPECLEDGER_WORKER=0 (docs/decisions/021-stateless-nodes.md).
import { startImportWorker } from "@/lib/repositories";
import { startFindingsWorker } from "@/lib/findings/jobs";
import { stopQueue } from "@/lib/jobs/queue";
import { startSyncWorker } from "@/lib/operations/sync-schedule";
import { startNotificationWorker } from "@/lib/notifications/deliver";
import { startDashboardWorker } from "@/lib/dashboard/jobs";
import { sweepStaleSecretFolders } from "@/lib/git/git";

if (!process.env.DATABASE_URL) {
  console.error("Set DATABASE_URL to Specledger's database (npm start runs the workers inside its own process).");
  process.exit(2);
}
// Deploy-key folders left by a killed worker hold private keys: the stale ones go before any new work.
sweepStaleSecretFolders();
await startImportWorker();
await startFindingsWorker();
await startSyncWorker();
await startNotificationWorker();
await startDashboardWorker();
process.stdout.write("worker ready\n");
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  // Graceful: a running import finishes (or its heartbeat stops and the next request retires it).
  void stopQueue().then(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

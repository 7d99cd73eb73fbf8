/** Starts the import, findings, scheduled-sync, notification-delivery and dashboard-compaction workers inside the server process unless SPECLEDGER_WORKER=0. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Deploy-key folders left by a killed process hold private keys: this node's stale ones go first.
  const { sweepStaleSecretFolders } = await import("@/lib/git/git");
  sweepStaleSecretFolders();
  if (process.env.SPECLEDGER_WORKER === "0") return;
  const { startImportWorker } = await import("@/lib/repositories");
  const { startFindingsWorker } = await import("@/lib/findings/jobs");
  await startImportWorker();
  await startFindingsWorker();
  const { startSyncWorker } = await import("@/lib/operations/sync-schedule");
  await startSyncWorker();
  const { startNotificationWorker } = await import("@/lib/notifications/deliver");
  await startNotificationWorker();
  const { startDashboardWorker } = await import("@/lib/dashboard/jobs");
  await startDashboardWorker();
}

/** Starts the import worker inside the server process unless SPECLEDGER_WORKER=0. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.SPECLEDGER_WORKER === "0") return;
  const { startImportWorker } = await import("@/lib/repositories");
  await startImportWorker();
}

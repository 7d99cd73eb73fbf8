import os from "node:os";
import { defineConfig } from "@playwright/test";

// Playwright cannot download browsers here; it drives Debian's Chromium (see README).
export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  // Every test makes its own random-named data, so workers run side by side; the app and the
  // database share the machine, so more than four stops paying. SPECLEDGER_E2E_WORKERS overrides.
  workers: Number(process.env.SPECLEDGER_E2E_WORKERS) || Math.min(4, Math.max(2, os.availableParallelism())),
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: process.env.SPECLEDGER_E2E_URL ?? "http://localhost:3100",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
});

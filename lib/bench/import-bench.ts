import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { db } from "@/lib/db";
import { importRepository } from "@/lib/specs/import";
import { listHistoryBlobs, readBlobsWithCatFile } from "./git-baseline";
import { appendSyntheticCommits, createSyntheticRepo } from "./synthetic-repo";

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString("en");

/**
 * Import throughput against raw git: a synthetic repository is imported in full, then
 * re-imported with no new commits, then with a few new ones. The baseline is one bare
 * `git cat-file --batch` reading every blob the import has to read, in the same run.
 */
export async function runImportBenchmark(opts: { commits: number; files: number; log: (line: string) => void }) {
  const { log } = opts;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "specledger-bench-"));
  try {
    let t = performance.now();
    const repo = await createSyntheticRepo({ dir: path.join(dir, "repo"), commits: opts.commits, files: opts.files, seed: 42 });
    log(`Synthetic repository: ${repo.commits.toLocaleString("en")} commits, ${repo.files} spec files (generated in ${seconds(performance.now() - t)})`);

    t = performance.now();
    const blobIds = await listHistoryBlobs({ repoPath: repo.path });
    const listMs = performance.now() - t;
    const baseline = await readBlobsWithCatFile({ repoPath: repo.path, blobIds });
    const baselineMs = baseline.seconds * 1000;

    const record = await db.repository.create({ data: { name: `bench-${Date.now()}`, source: repo.path } });
    t = performance.now();
    const steps: string[] = [];
    const first = await importRepository({ repositoryId: record.id, onStep: (step, ms) => steps.push(`${step} ${seconds(ms)}`) });
    const firstMs = performance.now() - t;
    const versions = await db.specVersion.count({ where: { spec: { repositoryId: record.id } } });

    t = performance.now();
    const again = await importRepository({ repositoryId: record.id });
    const againMs = performance.now() - t;

    await appendSyntheticCommits({ path: repo.path, commits: 100, seed: 7 });
    t = performance.now();
    const incremental = await importRepository({ repositoryId: record.id });
    const incrementalMs = performance.now() - t;

    const importRate = versions / (firstMs / 1000);
    const gitRate = blobIds.length / (baselineMs / 1000);
    log("");
    log("Import (issue 2)");
    log(`  raw git: git log listing the blobs  ${seconds(listMs)} (not counted in the baseline)`);
    log(`  raw git: git cat-file --batch of ${blobIds.length.toLocaleString("en")} blobs  ${seconds(baselineMs)}  ${rate(blobIds.length, baselineMs)} blobs/s`);
    log(`  full import: ${first.commitsRead.toLocaleString("en")} commits, ${versions.toLocaleString("en")} versions  ${seconds(firstMs)}  ${rate(versions, firstMs)} versions/s`);
    log(`  ratio, import versions/s to raw git blobs/s: ${(importRate / gitRate).toFixed(3)} (target >= 0.30)`);
    log(`  steps of the full import: ${steps.join(", ")}`);
    const historyRate = blobIds.length / ((baselineMs + listMs) / 1000);
    log(`  ratio against raw git listing the history and reading the blobs (log + cat-file): ${(importRate / historyRate).toFixed(2)}`);
    log(`  re-import with no new commits: ${seconds(againMs)} = ${((againMs / firstMs) * 100).toFixed(2)}% of the full import (target < 2%)` + (again.versionsAdded ? " (UNEXPECTED new versions)" : ""));
    log(`  incremental import of 100 new commits: ${incremental.versionsAdded} versions in ${seconds(incrementalMs)} = ${((incrementalMs / firstMs) * 100).toFixed(2)}% of the full import`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

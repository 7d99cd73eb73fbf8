import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { db } from "@/lib/db";
import { importRepository } from "@/lib/repositories/import";
import { CORES, describeCpu, withMachineCpu } from "./cpu";
import { listHistoryBlobs, readBlobsWithCatFile } from "./git-baseline";
import { appendSyntheticCommits, createSyntheticRepo } from "./synthetic-repo";

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString("en");

export interface ImportBenchmarkResult {
  /** Import versions/s over bare `git cat-file --batch` blobs/s, measured in this run. */
  ratio: number;
  /** The re-import with no new commits, as a percentage of the full import's time. */
  reimportShare: number;
}

/**
 * Import throughput against raw git: a synthetic repository is imported in full, then
 * re-imported with no new commits, then with a few new ones. The baseline is one bare
 * `git cat-file --batch` reading every blob the import has to read, in the same run.
 * With `repoCache`, the generated repository is kept there and later runs import a fresh
 * copy of it instead of generating it again (the incremental step adds commits to the copy).
 */
export async function runImportBenchmark(opts: {
  commits: number;
  files: number;
  log: (line: string) => void;
  repoCache?: string;
  /** Which run this is, when the caller makes several ("2 of 3"). */
  run?: string;
}): Promise<ImportBenchmarkResult> {
  const { log } = opts;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "specledger-bench-"));
  try {
    let t = performance.now();
    const repo = await syntheticRepo({ dir: path.join(dir, "repo"), commits: opts.commits, files: opts.files, cache: opts.repoCache });
    log(
      `Synthetic repository: ${repo.commits.toLocaleString("en")} commits, ${repo.files} spec files (${repo.copied ? "copied" : "generated"} in ${seconds(performance.now() - t)})`,
    );

    const listed = await withMachineCpu(() => listHistoryBlobs({ repoPath: repo.path }));
    const blobIds = listed.result;
    const listMs = listed.wallSeconds * 1000;
    const read = await withMachineCpu(() => readBlobsWithCatFile({ repoPath: repo.path, blobIds }));
    const baselineMs = read.result.seconds * 1000;

    const record = await db.repository.create({ data: { name: `bench-${Date.now()}`, source: repo.path } });
    const steps: string[] = [];
    const imported = await withMachineCpu(() => importRepository({ repositoryId: record.id, onStep: (step, ms) => steps.push(`${step} ${seconds(ms)}`) }));
    const first = imported.result;
    const firstMs = imported.wallSeconds * 1000;
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
    log(opts.run ? `Import (issue 2), run ${opts.run}` : "Import (issue 2)");
    log(`  raw git: git log listing the blobs  ${seconds(listMs)} (not counted in the baseline)`);
    log(`  raw git: git cat-file --batch of ${blobIds.length.toLocaleString("en")} blobs  ${seconds(baselineMs)}  ${rate(blobIds.length, baselineMs)} blobs/s`);
    log(
      `  full import: ${first.commitsScanned.toLocaleString("en")} commits read, ${versions.toLocaleString("en")} versions  ${seconds(firstMs)}  ${rate(versions, firstMs)} versions/s`,
    );
    log(`  ratio, import versions/s to raw git blobs/s: ${(importRate / gitRate).toFixed(3)} (target >= 0.30)`);
    log(`  steps of the full import: ${steps.join(", ")}`);
    const historyRate = blobIds.length / ((baselineMs + listMs) / 1000);
    log(`  ratio against raw git listing the history and reading the blobs (log + cat-file): ${(importRate / historyRate).toFixed(2)}`);
    if (imported.cpu !== null && listed.cpuSeconds !== null && read.cpuSeconds !== null) {
      // The floor: with this much work, no overlap on this many cores finishes sooner.
      const floor = imported.cpu.total / CORES;
      log(
        `  CPU of the whole machine (${CORES} cores): bare git ${(listed.cpuSeconds + read.cpuSeconds).toFixed(2)} CPU-s; the import ${describeCpu(imported.cpu)} ` +
          `in ${seconds(firstMs)} (${(imported.cpu.total / imported.wallSeconds).toFixed(2)} cores busy), so no import doing this work ends under ${floor.toFixed(2)} s here: ` +
          `its ratios are at most ${(versions / floor / historyRate).toFixed(2)} to bare git and ${(versions / floor / gitRate).toFixed(3)} to cat-file's blobs/s, ` +
          `and the import reaches ${(floor / imported.wallSeconds).toFixed(2)} of that floor`,
      );
    }
    log(
      `  re-import with no new commits: ${seconds(againMs)} = ${((againMs / firstMs) * 100).toFixed(2)}% of the full import (target < 2%)` +
        (again.versionsAdded ? " (UNEXPECTED new versions)" : ""),
    );
    log(
      `  incremental import of 100 new commits: ${incremental.versionsAdded} versions in ${seconds(incrementalMs)} = ${((incrementalMs / firstMs) * 100).toFixed(2)}% of the full import`,
    );
    return { ratio: importRate / gitRate, reimportShare: (againMs / firstMs) * 100 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Generates the synthetic repository, or copies the one a previous run left in `cache`. */
async function syntheticRepo(opts: { dir: string; commits: number; files: number; cache?: string }) {
  const key = `${opts.commits}-${opts.files}-42`;
  const cached = opts.cache && path.join(opts.cache, key);
  if (cached && fs.existsSync(path.join(cached, "done.json"))) {
    const { commits, files } = JSON.parse(fs.readFileSync(path.join(cached, "done.json"), "utf8")) as { commits: number; files: number };
    fs.cpSync(path.join(cached, "repo"), opts.dir, { recursive: true, verbatimSymlinks: true });
    return { path: opts.dir, commits, files, copied: true };
  }
  const repo = await createSyntheticRepo({ dir: opts.dir, commits: opts.commits, files: opts.files, seed: 42 });
  if (cached) {
    fs.cpSync(opts.dir, path.join(cached, "repo"), { recursive: true, verbatimSymlinks: true });
    fs.writeFileSync(path.join(cached, "done.json"), JSON.stringify({ commits: repo.commits, files: repo.files }));
  }
  return { path: repo.path, commits: repo.commits, files: repo.files, copied: false };
}

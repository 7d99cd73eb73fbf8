import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { db } from "@/lib/db";
import { recomputeFindings } from "@/lib/findings/store";
import { gitDirFor } from "@/lib/git/mirror";
import { LogParser, logArgs } from "@/lib/git/log";
import { importRepository } from "@/lib/repositories/import";
import { CORES, describeCpu, withMachineCpu } from "./cpu";
import { serveGit } from "@/lib/testing/git-daemon";
import { readBlobsWithCatFile } from "./git-baseline";
import { createMonorepo } from "./monorepo";

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export interface MonorepoBenchmarkResult {
  importToGit: number;
  findingsToImport: number;
  bloblessToFull: number;
}

/**
 * Issue 17 §1: the monorepo imported from a complete repository and from its blobless clone
 * (served by `git daemon` on the loopback: Specledger refuses file:// by design), against bare
 * git doing the same reading (the whole-tree `git log` the importer runs, then `cat-file --batch`
 * of the governed blobs), and the findings step against the import.
 */
export async function runMonorepoBenchmark(opts: { log: (line: string) => void }): Promise<MonorepoBenchmarkResult> {
  const { log } = opts;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "specledger-monorepo-"));
  const server = { stop: () => {} };
  try {
    let t = performance.now();
    const origin = await createMonorepo({ dir: path.join(dir, "monorepo.git") });
    const packBytes = fs
      .readdirSync(path.join(origin.path, "objects", "pack"))
      .filter((f) => f.endsWith(".pack"))
      .reduce((sum, f) => sum + fs.statSync(path.join(origin.path, "objects", "pack", f)).size, 0);
    log(`Monorepo: generated with git fast-import in ${seconds(performance.now() - t)}, pack ${(packBytes / 2 ** 20).toFixed(0)} MiB`);

    const served = await serveGit([origin.path]);
    server.stop = served.stop;
    const clone = path.join(dir, "blobless");
    t = performance.now();
    await run(["clone", "--quiet", "--no-checkout", "--filter=blob:none", served.urlOf(origin.path), clone]);
    log(`  blobless clone (git clone --filter=blob:none --no-checkout over git://) in ${seconds(performance.now() - t)}`);

    // Bare git doing the importer's reading: the whole-tree log, then the governed blobs.
    t = performance.now();
    const rawLog = await run(logArgs({ gitDir: origin.path, range: origin.head }));
    const logMs = performance.now() - t;
    const parser = new LogParser();
    const blobIds = new Set<string>();
    for (const commit of [...parser.push(rawLog), ...parser.end()]) {
      for (const c of commit.changes) if (c.status !== "D" && origin.governedPaths.has(c.path)) blobIds.add(c.newBlob);
    }
    const catFile = await readBlobsWithCatFile({ repoPath: origin.path, blobIds: [...blobIds] });
    const gitMs = logMs + catFile.seconds * 1000;

    const full = await db.repository.create({ data: { name: `monorepo-full-${Date.now()}`, source: origin.path } });
    const importSteps: string[] = [];
    const fullImport = await withMachineCpu(() =>
      importRepository({ repositoryId: full.id, onStep: (step, ms) => importSteps.push(`${step} ${seconds(ms)}`) }),
    );
    const fullResult = fullImport.result;
    const fullMs = fullImport.wallSeconds * 1000;
    t = performance.now();
    const findingSteps: string[] = [];
    await recomputeFindings({ repositoryId: full.id, onStep: (step, ms) => findingSteps.push(`${step} ${seconds(ms)}`) });
    const findingsMs = performance.now() - t;

    const partial = await db.repository.create({ data: { name: `monorepo-blobless-${Date.now()}`, source: clone } });
    t = performance.now();
    const partialResult = await importRepository({ repositoryId: partial.id });
    const partialMs = performance.now() - t;
    const store = await gitDirFor(partial);
    const fetches = fs.readdirSync(path.join(store, "objects", "pack")).filter((f) => f.endsWith(".pack")).length;

    log(
      `  bare git: whole-tree git log ${seconds(logMs)} + cat-file --batch of ${blobIds.size.toLocaleString("en")} governed blobs ${seconds(catFile.seconds * 1000)}`,
    );
    log(
      `  import of the complete repository: ${fullResult.commitsScanned.toLocaleString("en")} commits, ${fullResult.versionsAdded.toLocaleString("en")} versions in ${seconds(fullMs)}; ratio bare git / import ${(gitMs / fullMs).toFixed(2)} (target >= 0.8)`,
    );
    log(`    by step: ${importSteps.join(", ")}`);
    if (fullImport.cpu !== null)
      log(
        `    CPU of the whole machine (${CORES} cores): the import ${describeCpu(fullImport.cpu)} (${(fullImport.cpu.total / fullImport.wallSeconds).toFixed(2)} cores busy); ` +
          `with this work its ratio to bare git is at most ${(gitMs / 1000 / (fullImport.cpu.total / CORES)).toFixed(2)} here`,
      );
    log(`  findings after the import: ${seconds(findingsMs)} = ${(findingsMs / fullMs).toFixed(2)}x the import (target <= 0.5x)`);
    log(`    by step: ${findingSteps.join(", ")}`);
    log(
      `  import of the blobless clone: ${partialResult.versionsAdded.toLocaleString("en")} versions, ${partialResult.filesSkipped} skipped, in ${seconds(partialMs)} = ${(partialMs / fullMs).toFixed(2)}x the complete one (target <= 2x); ${fetches} fetch(es) into Specledger's store` +
        (partialResult.versionsAdded !== fullResult.versionsAdded ? " (UNEXPECTED: versions differ)" : ""),
    );
    return { importToGit: gitMs / fullMs, findingsToImport: findingsMs / fullMs, bloblessToFull: partialMs / fullMs };
  } finally {
    server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs git and resolves with its whole stdout (the log of the monorepo is some megabytes). */
function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let err = "";
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(Buffer.concat(out).toString("utf8")) : reject(new Error(`git ${args[0]} failed: ${err.trim()}`))));
  });
}

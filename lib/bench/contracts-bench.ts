import { diffContracts } from "@/lib/contracts/diff";
import { KNOWN_DISAGREEMENTS, externalPairs } from "@/lib/contracts/external";
import { LABELLED_PAIRS, type LabelCategory } from "@/lib/contracts/labelled";

// Contract classification figures (issue 14 §1): precision and recall of "breaking" per
// category on the labelled set (lib/contracts/labelled.ts), and for the whole set. A pair is
// predicted breaking when any change the classifier reports for it is breaking.

const TARGET = 0.95;
const ratio = (n: number, d: number) => (d === 0 ? 1 : n / d);

export async function runContractsBenchmark({ log }: { log: (line: string) => void }) {
  const now = new Date("2026-12-01T00:00:00Z");
  const rows = new Map<LabelCategory | "all", { pairs: number; tp: number; fp: number; fn: number }>();
  const add = (key: LabelCategory | "all", label: boolean, predicted: boolean) => {
    const row = rows.get(key) ?? { pairs: 0, tp: 0, fp: 0, fn: 0 };
    row.pairs++;
    if (label && predicted) row.tp++;
    else if (!label && predicted) row.fp++;
    else if (label && !predicted) row.fn++;
    rows.set(key, row);
  };
  const misses: string[] = [];
  const started = performance.now();
  for (const pair of LABELLED_PAIRS) {
    const predicted = diffContracts(pair.base, pair.revision, { now }).changes.some((c) => c.class === "breaking");
    add(pair.category, pair.breaking, predicted);
    add("all", pair.breaking, predicted);
    if (predicted !== pair.breaking) misses.push(`${pair.category}: ${pair.name} (labelled ${pair.breaking ? "breaking" : "not breaking"})`);
  }
  const ms = performance.now() - started;
  log("");
  log(`Contract classification: ${LABELLED_PAIRS.length} labelled base/revision pairs, ${(ms / LABELLED_PAIRS.length).toFixed(2)} ms per pair`);
  log('  category        pairs  precision  recall   (of "breaking"; target >= 0.95 each)');
  for (const [category, row] of [...rows].sort(([a], [b]) => (a === "all" ? 1 : b === "all" ? -1 : a.localeCompare(b)))) {
    const precision = ratio(row.tp, row.tp + row.fp);
    const recall = ratio(row.tp, row.tp + row.fn);
    const flag = precision < TARGET || recall < TARGET ? "  below target" : "";
    log(`  ${category.padEnd(15)} ${String(row.pairs).padStart(5)}  ${precision.toFixed(2).padStart(9)}  ${recall.toFixed(2).padStart(6)}${flag}`);
  }
  for (const miss of misses) log(`  disagrees: ${miss}`);

  // The external set: oasdiff's own test pairs, labelled from its rule levels, not by us.
  const external = externalPairs();
  const counts = { tp: 0, fp: 0, fn: 0, tn: 0, gate: { tp: 0, fp: 0, fn: 0 } };
  const differences: string[] = [];
  for (const pair of external) {
    const changes = diffContracts(pair.base, pair.revision, { now }).changes;
    const predicted = changes.some((c) => c.class === "breaking");
    // What the gate blocks: breaking, or not fully classified (fail closed).
    const blocked = predicted || changes.some((c) => c.class === "unclassified");
    if (pair.breaking && predicted) counts.tp++;
    else if (!pair.breaking && predicted) counts.fp++;
    else if (pair.breaking && !predicted) counts.fn++;
    else counts.tn++;
    if (pair.breaking && blocked) counts.gate.tp++;
    else if (!pair.breaking && blocked) counts.gate.fp++;
    else if (pair.breaking && !blocked) counts.gate.fn++;
    if (predicted !== pair.breaking) differences.push(`${pair.name} (oasdiff ${pair.level}): ${KNOWN_DISAGREEMENTS[pair.name] ?? "not yet reviewed"}`);
  }
  log("");
  log(`External set: ${external.length} pairs from oasdiff's own tests (lib/contracts/external/oasdiff), labelled from oasdiff's rule levels`);
  log(
    `  "breaking"                       precision ${ratio(counts.tp, counts.tp + counts.fp).toFixed(2)}  recall ${ratio(counts.tp, counts.tp + counts.fn).toFixed(2)}`,
  );
  log(
    `  blocked by the gate (+ unclassified) precision ${ratio(counts.gate.tp, counts.gate.tp + counts.gate.fp).toFixed(2)}  recall ${ratio(counts.gate.tp, counts.gate.tp + counts.gate.fn).toFixed(2)}`,
  );
  for (const difference of differences) log(`  differs: ${difference}`);
}

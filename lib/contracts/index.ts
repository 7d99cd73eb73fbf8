import { z } from "zod";
import { diffContracts, summarizeBreaking, type ContractDiff } from "./diff";

// What the rest of the app asks of contracts: given a governed file's kind, path and two texts,
// the classified change list, or null when the file is not a machine-readable contract.

const MACHINE_READABLE = /\.(ya?ml|json)$/i;

/** Whether a contract's path names a format the classifier reads (YAML or JSON); Markdown contracts are prose. */
export const isMachineReadableContract = (path: string) => MACHINE_READABLE.test(path);

export interface ContractClassification extends ContractDiff {
  /** "2 breaking: removed `GET /pets/{id}`; made `limit` required", or null. */
  summary: string | null;
  breaking: number;
}

export function classifyContractChange(opts: { kind: string; path: string; oldText: string; newText: string; now?: Date }): ContractClassification | null {
  // A new contract has no earlier interface to break.
  if (opts.kind !== "contract" || !MACHINE_READABLE.test(opts.path) || opts.oldText.trim() === "") return null;
  let diff: ContractDiff;
  try {
    diff = diffContracts(opts.oldText, opts.newText, { now: opts.now });
  } catch (error) {
    // A bug in a rule must not take the page, the review or the gate down with it: it is a problem to show.
    diff = { format: null, changes: [], problem: `The contract could not be classified: ${error instanceof Error ? error.message : String(error)}` };
  }
  const breaking = diff.changes.filter((c) => c.class === "breaking").length;
  return { ...diff, summary: summarizeBreaking(diff.changes) ?? notFullyClassified(diff), breaking };
}

/**
 * Fail closed: a change the classifier could not judge in full (the text does not parse, a
 * reference it cannot follow, a cut list) counts as breaking until the contract's owners approve.
 */
function notFullyClassified(diff: ContractDiff): string | null {
  const unclassified = diff.changes.filter((c) => c.class === "unclassified");
  if (diff.problem) return `Not fully classified, so treated as breaking: ${diff.problem}`;
  if (unclassified.length > 0) return `Not fully classified, so treated as breaking: ${unclassified[0].message}`;
  return null;
}

/** The classification as the API returns it. */
export const contractClassificationView = z.object({
  format: z.enum(["openapi", "asyncapi", "json-schema"]).nullable(),
  summary: z.string().nullable(),
  breaking: z.number().int(),
  problem: z.string().nullable(),
  changes: z.array(
    z.object({
      rule: z.string(),
      class: z.enum(["breaking", "non-breaking", "annotation", "unclassified"]),
      location: z.string(),
      message: z.string(),
    }),
  ),
});

import { z } from "zod";
import { diffContracts, summarizeBreaking, type ContractDiff } from "./diff";

// What the rest of the app asks of contracts: given a governed file's kind, path and two texts,
// the classified change list, or null when the file is not a machine-readable contract.

const MACHINE_READABLE = /\.(ya?ml|json)$/i;

export interface ContractClassification extends ContractDiff {
  /** "2 breaking: removed `GET /pets/{id}`; made `limit` required", or null. */
  summary: string | null;
  breaking: number;
}

export function classifyContractChange(opts: { kind: string; path: string; oldText: string; newText: string; now?: Date }): ContractClassification | null {
  if (opts.kind !== "contract" || !MACHINE_READABLE.test(opts.path)) return null;
  const diff = diffContracts(opts.oldText, opts.newText, { now: opts.now });
  return { ...diff, summary: summarizeBreaking(diff.changes), breaking: diff.changes.filter((c) => c.class === "breaking").length };
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

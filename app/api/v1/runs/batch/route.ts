import { handle } from "@/lib/http/route";
import { reportRunBatch } from "@/lib/operations/provenance";

/** Reports up to 1,000 runs in one statement: { runs: [...] }. */
export const POST = handle(reportRunBatch, { status: 201 });

import { handle } from "@/lib/http/route";
import { recomputeFindings } from "@/lib/operations/findings";

/** Admins: queue a recomputation of every finding; 202, the work runs in the findings worker. */
export const POST = handle(recomputeFindings, { status: 202 });

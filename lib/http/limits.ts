import { MAX_PROPOSAL_BYTES } from "@/lib/reviews/propose";

/** The largest JSON body a route reads, unless it says otherwise. */
export const MAX_BODY_BYTES = 1_048_576;

/** Proposals and revisions carry up to 1 MB of content, which JSON escaping can double. */
export const PROPOSAL_BODY_BYTES = 2 * MAX_PROPOSAL_BYTES + 65_536;

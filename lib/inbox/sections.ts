import { allows, type Actor } from "@/lib/auth/permissions";

/** What a person's inbox holds: changes to review, news on their own changes, findings on what they own. */
export const SECTIONS = ["review", "updates", "findings"] as const;
export type Section = (typeof SECTIONS)[number];

/**
 * Which sections the viewer may have: reviewing needs a role that decides; news on their changes
 * needs reading reviews; findings need reading specs. A token gets only what its scopes reach.
 */
export function sectionsFor(viewer: Actor): Record<Section, boolean> {
  return {
    review: allows(viewer, "reviews:decide") && allows(viewer, "reviews:read"),
    updates: allows(viewer, "reviews:read"),
    findings: allows(viewer, "specs:read"),
  };
}

/** The review_seq of the latest revision or decision among those shown: what "seen" moves to. */
export function latestSeq(items: readonly { seq: bigint }[]): bigint | null {
  return items.reduce<bigint | null>((max, item) => (max === null || item.seq > max ? item.seq : max), null);
}

import { Badge, type Tone } from "@/components/ui";

const OUTCOME_TONES: Record<string, Tone> = { succeeded: "green", failed: "red", cancelled: "gray", unknown: "amber" };

export function RunOutcomeBadge({ outcome }: { outcome: string }) {
  return <Badge tone={OUTCOME_TONES[outcome] ?? "gray"}>{outcome}</Badge>;
}

import { TYPE_LABELS, type FindingType } from "@/lib/findings/types";
import { Badge, type Tone } from "@/components/ui";

const SEVERITY_TONES: Record<string, Tone> = { error: "red", warning: "amber", info: "blue" };
const STATUS_TONES: Record<string, Tone> = { open: "red", acknowledged: "violet", resolved: "green", dismissed: "gray" };

export function SeverityBadge({ severity }: { severity: string }) {
  return <Badge tone={SEVERITY_TONES[severity] ?? "gray"}>{severity}</Badge>;
}

export function FindingStatusBadge({ status }: { status: string }) {
  return <Badge tone={STATUS_TONES[status] ?? "gray"}>{status}</Badge>;
}

export function FindingTypeLabel({ type, rule }: { type: string; rule: string }) {
  const label = TYPE_LABELS[type as FindingType] ?? type;
  return (
    <span className="whitespace-nowrap">
      {label}
      {rule !== type ? <span className="block font-mono text-xs text-slate-500">{rule}</span> : null}
    </span>
  );
}

import { Badge, type Tone } from "./ui";
import { KIND_LABELS, type SpecKind } from "@/lib/specs/kinds";

const REPO_TONES: Record<string, Tone> = { new: "gray", queued: "blue", importing: "blue", ready: "green", failed: "red" };

export function RepositoryStatusBadge({ status }: { status: string }) {
  return <Badge tone={REPO_TONES[status] ?? "gray"}>{status}</Badge>;
}

const IMPORT_TONES: Record<string, Tone> = { queued: "blue", running: "blue", succeeded: "green", failed: "red" };

export function ImportStatusBadge({ status }: { status: string }) {
  return <Badge tone={IMPORT_TONES[status] ?? "gray"}>{status}</Badge>;
}

const KIND_TONES: Record<SpecKind, Tone> = {
  spec: "blue",
  plan: "violet",
  tasks: "gray",
  constitution: "amber",
  steering: "amber",
  agent: "green",
  skill: "green",
  "skill-file": "green",
  subagent: "green",
  prompt: "green",
  "tool-config": "red",
  contract: "red",
};

export function KindBadge({ kind }: { kind: string }) {
  return <Badge tone={KIND_TONES[kind as SpecKind] ?? "gray"}>{KIND_LABELS[kind as SpecKind] ?? kind}</Badge>;
}

const REVIEW_TONES: Record<string, Tone> = { proposed: "blue", approved: "green", rejected: "red", unreviewed: "amber", superseded: "gray" };

export function ReviewStateBadge({ state }: { state: string }) {
  return <Badge tone={REVIEW_TONES[state] ?? "gray"}>{state}</Badge>;
}

// What a subscriber receives (docs/decisions/025-outbound-notifications.md): the Standard
// Webhooks payload shape `{ type, timestamp, data }`, or a Slack-compatible `{ text }`.
import picomatch from "picomatch";

export { NOTIFICATION_EVENTS, type NotificationEventType } from "./types";

export interface StoredEvent {
  id: string;
  type: string;
  occurredAt: Date;
  data: Record<string, unknown>;
}

/** The message id receivers dedupe on: the same for every attempt of one event to one subscription. */
export function webhookId(eventId: string, subscriptionId: string): string {
  return `msg_${eventId}_${subscriptionId}`;
}

/**
 * A URL shown without what makes it a credential: scheme, host and port, then "…". A
 * Slack-compatible incoming-webhook URL carries its token in the path, so anyone who sees it can post.
 */
export function maskedUrl(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.protocol}//${url.host}/…`;
  } catch {
    return "…";
  }
}

const str = (value: unknown) => (value === undefined || value === null ? "" : String(value));

/** One line a person reads in a chat channel. */
export function slackText(event: StoredEvent): string {
  const d = event.data;
  const where = d.path ? ` ${str(d.path)}${d.repository ? ` in ${str(d.repository)}` : ""}` : d.repository ? ` in ${str(d.repository)}` : "";
  switch (event.type) {
    case "change.proposed":
      return `Change #${str(d.number)} proposed for${where} by ${str(d.by)}`;
    case "change.approved":
      return `Change #${str(d.number)} approved for${where} by ${str(d.by)}`;
    case "change.changes_requested":
      return `Changes requested on change #${str(d.number)} for${where} by ${str(d.by)}`;
    case "finding.opened":
      return `New ${str(d.severity)} finding (${str(d.findingType)}/${str(d.rule)})${where}: ${str(d.message)}`;
    case "deployment.recorded":
      return `${str(d.service)} ${str(d.version)} deployed to ${str(d.environment)}`;
    case "gate.denied":
      return `can-i-deploy said no: ${str(d.service)} ${str(d.version)} to ${str(d.environment)} (${str(d.reasons)})`;
    case "budget.warning":
      return `Budget warning for${where}: ${str(d.message)}`;
    case "import.failed":
      return `Import of ${str(d.repository)} failed: ${str(d.error)}`;
    default:
      return `${event.type}${where}`;
  }
}

/** The request body for `format`. */
export function notificationBody(event: StoredEvent, format: "standard" | "slack"): string {
  if (format === "slack") return JSON.stringify({ text: slackText(event) });
  return JSON.stringify({ type: event.type, timestamp: event.occurredAt.toISOString(), data: { id: event.id, ...event.data } });
}

/** Whether a subscription's path glob admits the event's path; no glob admits everything, no path only a missing glob. */
export function pathMatches(glob: string | null, path: string | null | undefined): boolean {
  if (!glob) return true;
  if (!path) return false;
  return picomatch.isMatch(path, glob, { dot: true });
}

/** The team slugs among CODEOWNERS-style owners (@org/team), lowercased. */
export function teamOwners(owners: readonly string[]): string[] {
  return owners.filter((o) => o.startsWith("@") && o.includes("/")).map((o) => o.toLowerCase());
}

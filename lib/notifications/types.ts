// The event types, apart from the formatting code so that the settings form (a client component) can list them.
export const NOTIFICATION_EVENTS = [
  "change.proposed",
  "change.approved",
  "change.changes_requested",
  "finding.opened",
  "deployment.recorded",
  "gate.denied",
  "import.failed",
  "budget.warning",
] as const;
export type NotificationEventType = (typeof NOTIFICATION_EVENTS)[number];

// "No ticket, no spec change" in the pull request (issue 14; decision 036): when a repository has
// a ticket policy, a pull request that changes governed files names an issue key in its title,
// its branch or a commit message, or the check says so (policy key `ticket`, failing by default).
import { findTicketKey, ticketPolicySchema, ticketUrl } from "@/lib/reviews/ticket";
import type { CheckItemDraft } from "./policy";
import type { CheckInput, CheckTicket } from "./schema";

/** The ticket a pull request names, or the item saying it names none (or that the policy cannot be read). */
export function ticketOutcome(
  stored: unknown,
  input: Pick<CheckInput, "pullRequestTitle" | "branch" | "commitMessages">,
): { ticket: CheckTicket | null; draft: CheckItemDraft | null } {
  if (stored === null || stored === undefined) return { ticket: null, draft: null };
  const parsed = ticketPolicySchema.safeParse(stored);
  const draft = (rule: string, message: string): CheckItemDraft => ({ category: "ticket", rule, severity: "error", policyKey: "ticket", line: null, message });
  // Fail closed, as proposals are refused: a policy that is set but no longer reads is not dropped.
  if (!parsed.success)
    return {
      ticket: null,
      draft: draft("ticket-policy-unreadable", "This repository's ticket policy cannot be read, so spec changes fail the check until an admin sets it again."),
    };
  const policy = parsed.data;
  const places: [CheckTicket["where"], string | undefined][] = [
    ["title", input.pullRequestTitle],
    ["branch", input.branch],
    ...input.commitMessages.map((m): [CheckTicket["where"], string] => ["commit", m]),
  ];
  for (const [where, text] of places) {
    const key = text ? findTicketKey(text, policy.prefixes) : null;
    if (key) return { ticket: { key, url: ticketUrl(policy.urlTemplate, key), where }, draft: null };
  }
  const keys = policy.prefixes.map((p) => `${p}-…`).join(", ");
  const untitled = input.pullRequestTitle === undefined ? " (no pull request title was sent: run the check in a pull request pipeline, or pass --title)" : "";
  return {
    ticket: null,
    draft: draft(
      "ticket-missing",
      `This repository needs a ticket for every spec change: name an issue key (${keys}) in the pull request's title, its branch or a commit message, e.g. "${policy.prefixes[0]}-123: …"${untitled}.`,
    ),
  };
}

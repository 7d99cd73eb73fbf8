import { z } from "zod";
import { checkPolicyInput, checkPolicySchema } from "@/lib/checks/policy";
import { checkInput, checkResult } from "@/lib/checks/schema";
import { setCheckPolicy as setPolicy } from "@/lib/checks/settings";
import { runCheck as run } from "@/lib/checks/run";
import { ticketPolicyInput, ticketPolicySchema } from "@/lib/reviews/ticket";
import { setTicketPolicy as setTickets } from "@/lib/reviews/ticket-policy";
import { operation } from "./operation";

/** Checks a pull request's governed files against approvals, lint, references and duplicates; stores the answer. */
export const runCheck = operation({
  name: "checks.run",
  summary: "Check a pull request's governed files (specledger check)",
  input: checkInput,
  output: checkResult,
  permission: "checks:write",
  // A check writes one new row and reads; nothing it reads is updated by it, so there is nothing to serialize against.
  isolation: "read-committed",
  run: ({ tx, viewer, input }) => run(tx, viewer, input),
});

/** Sets which findings fail a repository's pull-request checks (admins); null restores the default. */
export const setCheckPolicy = operation({
  name: "repositories.set-check-policy",
  summary: "Set a repository's pull-request check policy",
  input: checkPolicyInput,
  output: z.object({ repositoryId: z.string(), policy: checkPolicySchema }),
  permission: "policies:manage",
  run: ({ tx, input }) => setPolicy(tx, input),
});

/** Sets a repository's "no ticket, no spec change" policy (issue key prefixes and a link template); null turns it off. */
export const setTicketPolicy = operation({
  name: "repositories.set-ticket-policy",
  summary: "Require an issue key on every proposed spec change in a repository",
  input: ticketPolicyInput,
  output: z.object({ repositoryId: z.string(), policy: ticketPolicySchema.nullable() }),
  permission: "repositories:write",
  run: ({ tx, input }) => setTickets(tx, input),
});

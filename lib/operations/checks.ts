import { checkInput, checkResult } from "@/lib/checks/schema";
import { runCheck as run } from "@/lib/checks/run";
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

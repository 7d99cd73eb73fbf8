"use server";

import { revalidatePath } from "next/cache";
import { field, runAction, type ActionResult } from "@/lib/http/action";
import { addOwnershipRule, removeOwnershipRule, updateOwnershipRule } from "@/lib/operations/workspace";

export type RuleActionState = { error: string | null; saved?: boolean };

function done(result: ActionResult<unknown>): RuleActionState {
  if (!result.ok) return { error: result.error };
  revalidatePath("/", "layout");
  return { error: null, saved: true };
}

const policyFrom = (form: FormData) => ({
  requiredApprovals: Number(form.get("requiredApprovals") ?? 1),
  requireOwnerApproval: form.get("requireOwnerApproval") === "on",
  blockOnChangesRequested: form.get("blockOnChangesRequested") === "on",
  breakingOwnerApprovals: Number(form.get("breakingOwnerApprovals") ?? 1),
});
const optional = (form: FormData, name: string) => (form.has(name) ? field(form, name) : undefined);

export async function addRuleAction(_prev: RuleActionState, form: FormData): Promise<RuleActionState> {
  const scope = field(form, "repositoryId");
  return done(
    await runAction(addOwnershipRule, {
      repositoryId: scope === "" ? null : scope,
      pattern: field(form, "pattern"),
      owners: field(form, "owners"),
      policy: policyFrom(form),
    }),
  );
}

export async function updateRuleAction(_prev: RuleActionState, form: FormData): Promise<RuleActionState> {
  return done(
    await runAction(updateOwnershipRule, {
      ruleId: field(form, "ruleId"),
      pattern: optional(form, "pattern"),
      owners: optional(form, "owners"),
      policy: policyFrom(form),
    }),
  );
}

export async function removeRuleAction(_prev: RuleActionState, form: FormData): Promise<RuleActionState> {
  return done(await runAction(removeOwnershipRule, { ruleId: field(form, "ruleId") }));
}

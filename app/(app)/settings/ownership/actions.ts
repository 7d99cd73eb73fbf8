"use server";

import { revalidatePath } from "next/cache";
import { idString } from "@/lib/schema";
import { authorize } from "@/lib/auth/session";
import { actionErrorMessage } from "@/lib/http/action";
import { addOwnershipRule, removeOwnershipRule, updateOwnershipRule } from "@/lib/ownership/rules";

export type RuleActionState = { error: string | null; saved?: boolean };

async function run(fn: () => Promise<unknown>): Promise<RuleActionState> {
  try {
    await fn();
    revalidatePath("/", "layout");
    return { error: null, saved: true };
  } catch (error) {
    return { error: actionErrorMessage(error) };
  }
}

const id = idString();
const policyFrom = (form: FormData) => ({
  requiredApprovals: Number(form.get("requiredApprovals") ?? 1),
  requireOwnerApproval: form.get("requireOwnerApproval") === "on",
  blockOnChangesRequested: form.get("blockOnChangesRequested") === "on",
});
const optional = (form: FormData, name: string) => (form.has(name) ? String(form.get(name)) : undefined);

export async function addRuleAction(_prev: RuleActionState, form: FormData): Promise<RuleActionState> {
  return run(async () => {
    const viewer = await authorize("policies:manage");
    const scope = String(form.get("repositoryId") ?? "");
    await addOwnershipRule({
      viewer,
      repositoryId: scope === "" ? null : id.parse(scope),
      pattern: String(form.get("pattern") ?? ""),
      owners: String(form.get("owners") ?? ""),
      policy: policyFrom(form),
    });
  });
}

export async function updateRuleAction(_prev: RuleActionState, form: FormData): Promise<RuleActionState> {
  return run(async () => {
    const viewer = await authorize("policies:manage");
    await updateOwnershipRule({
      viewer,
      ruleId: id.parse(form.get("ruleId")),
      pattern: optional(form, "pattern"),
      owners: optional(form, "owners"),
      policy: policyFrom(form),
    });
  });
}

export async function removeRuleAction(_prev: RuleActionState, form: FormData): Promise<RuleActionState> {
  return run(async () => {
    const viewer = await authorize("policies:manage");
    await removeOwnershipRule({ viewer, ruleId: id.parse(form.get("ruleId")) });
  });
}

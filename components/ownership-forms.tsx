"use client";

import { useActionState } from "react";
import { addRuleAction, removeRuleAction, updateRuleAction, type RuleActionState } from "@/lib/actions/ownership";
import { buttonClass, inputClass, secondaryButtonClass } from "./ui";
import { useKeptForm } from "./use-kept-form";

type Policy = { requiredApprovals: number; requireOwnerApproval: boolean; blockOnChangesRequested: boolean; breakingOwnerApprovals: number };

function Feedback({ state, pending }: { state: RuleActionState; pending: boolean }) {
  if (state.error) {
    return (
      <p role="alert" className="mt-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
        {state.error}
      </p>
    );
  }
  return state.saved && !pending ? (
    <span role="status" className="text-xs text-emerald-700">
      Saved
    </span>
  ) : null;
}

function PolicyFields({ policy, label }: { policy: Policy; label: string }) {
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm">
      <label className="flex items-center gap-1">
        <input
          name="requiredApprovals"
          type="number"
          min={1}
          max={10}
          defaultValue={policy.requiredApprovals}
          aria-label={`Approvals required for ${label}`}
          className={`${inputClass} w-16`}
        />
        approvals
      </label>
      <label className="flex items-center gap-1">
        <input name="requireOwnerApproval" type="checkbox" defaultChecked={policy.requireOwnerApproval} aria-label={`An owner must approve ${label}`} /> owner
        must approve
      </label>
      <label className="flex items-center gap-1">
        <input name="blockOnChangesRequested" type="checkbox" defaultChecked={policy.blockOnChangesRequested} aria-label={`Requested changes block ${label}`} />{" "}
        requested changes block
      </label>
      <label className="flex items-center gap-1">
        <input
          name="breakingOwnerApprovals"
          type="number"
          min={0}
          max={10}
          defaultValue={policy.breakingOwnerApprovals}
          aria-label={`Owner approvals for breaking contract changes to ${label}`}
          className={`${inputClass} w-16`}
        />
        owner approvals for breaking contract changes
      </label>
    </div>
  );
}

export function AddRuleForm({ repositories }: { repositories: { id: string; name: string }[] }) {
  const [state, action, pending] = useActionState(addRuleAction, { error: null });
  const form = useKeptForm(state, action, pending);
  return (
    <form {...form} aria-label="Add ownership rule" className="space-y-3">
      <div className="grid gap-2 md:grid-cols-[1fr_1fr_2fr] md:items-end">
        <label className="text-sm font-medium">
          Applies to
          <select name="repositoryId" className={`mt-1 ${inputClass}`} defaultValue="">
            <option value="">All repositories</option>
            {repositories.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium">
          Pattern (CODEOWNERS syntax)
          <input name="pattern" required placeholder="specs/payments/" className={`mt-1 font-mono ${inputClass}`} />
        </label>
        <label className="text-sm font-medium">
          Owners <span className="font-normal text-slate-500">(@org/team, @user or email; none clears ownership)</span>
          <input name="owners" placeholder="@acme/payments dana@acme.example" className={`mt-1 font-mono ${inputClass}`} />
        </label>
      </div>
      <PolicyFields
        policy={{ requiredApprovals: 1, requireOwnerApproval: false, blockOnChangesRequested: true, breakingOwnerApprovals: 1 }}
        label="the new rule"
      />
      <button type="submit" disabled={pending} className={buttonClass}>
        Add rule
      </button>
      <Feedback state={state} pending={pending} />
    </form>
  );
}

export function RuleForm({ rule }: { rule: { id: string; pattern: string; owners: string[]; source: string } & Policy }) {
  const [state, action, pending] = useActionState(updateRuleAction, { error: null });
  const form = useKeptForm(state, action, pending);
  const [removeState, remove, removing] = useActionState(removeRuleAction, { error: null });
  const removeForm = useKeptForm(removeState, remove, removing);
  const manual = rule.source === "manual";
  return (
    <div className="space-y-1">
      <form {...form} aria-label={`Rule ${rule.pattern}`} className="flex flex-wrap items-center gap-3">
        <input type="hidden" name="ruleId" value={rule.id} />
        {manual ? (
          <>
            <input name="pattern" defaultValue={rule.pattern} aria-label="Pattern" className={`${inputClass} w-48 font-mono`} />
            <input name="owners" defaultValue={rule.owners.join(" ")} aria-label="Owners" className={`${inputClass} w-64 font-mono`} />
          </>
        ) : null}
        <PolicyFields policy={rule} label={rule.pattern} />
        <button type="submit" disabled={pending} className={secondaryButtonClass}>
          Save
        </button>
        <Feedback state={state} pending={pending} />
      </form>
      {manual ? (
        <form {...removeForm}>
          <input type="hidden" name="ruleId" value={rule.id} />
          <button type="submit" disabled={removing} className="text-xs text-red-700 hover:underline">
            Remove rule
          </button>
          <Feedback state={removeState} pending={removing} />
        </form>
      ) : null}
    </div>
  );
}

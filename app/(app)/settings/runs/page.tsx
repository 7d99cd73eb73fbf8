import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { getLastGreenPolicy } from "@/lib/runs/green";
import { listTicketPolicies } from "@/lib/reviews/ticket-policy";
import { setLastGreenAction, setTicketPolicyAction } from "@/lib/actions/run-policies";
import { KeptForm } from "@/components/kept-form";
import { Badge, Card, EmptyState, PageHeader, buttonClass, inputClass, secondaryButtonClass } from "@/components/ui";

export const metadata = { title: "Runs and tickets" };

export default async function RunPoliciesPage() {
  const user = await requireUser("policies:manage");
  const [lastGreen, repositories] = await Promise.all([getLastGreenPolicy(), listTicketPolicies(user)]);
  const withPolicy = repositories.filter((r) => r.policy || r.unreadable);
  const without = repositories.filter((r) => !r.policy && !r.unreadable);
  return (
    <>
      <PageHeader
        title="Runs and tickets"
        description="When a spec version counts as green for agents to backtrack to, and which repositories need an issue key on every spec change."
      />
      <Card className="mb-6 p-4">
        <h2 className="font-medium">Last green</h2>
        <p className="mt-1 text-sm text-slate-600">
          The last green version of a spec is its newest version with at least this many succeeded runs and no failed run after its last success.
        </p>
        <KeptForm action={setLastGreenAction} label="Last green policy" savedMessage="Saved." className="mt-3">
          <div className="flex flex-wrap items-end gap-2">
            <label className="text-sm font-medium">
              Succeeded runs a version needs
              <input name="minSucceeded" type="number" min={1} max={1000} required defaultValue={lastGreen.minSucceeded} className={`mt-1 ${inputClass}`} />
            </label>
            <button type="submit" className={buttonClass}>
              Save
            </button>
          </div>
        </KeptForm>
      </Card>
      <Card className="p-4">
        <h2 className="font-medium">No ticket, no spec change</h2>
        <p className="mt-1 text-sm text-slate-600">
          A repository with issue key prefixes refuses a proposed change whose title and description name no key such as <code>ABC-123</code>; the change links
          the key with the URL template (<code>{"{key}"}</code> is replaced by the key).
        </p>
        {repositories.length === 0 ? (
          <EmptyState title="No repositories yet">
            <Link href="/repositories" className="text-sky-700 underline">
              Add a repository
            </Link>{" "}
            first.
          </EmptyState>
        ) : (
          <>
            {/* Only repositories with a policy get a form each: a fleet of hundreds would otherwise be hundreds of forms. */}
            {withPolicy.length > 0 ? (
              <ul className="mt-3 divide-y divide-slate-100">
                {withPolicy.map((r) => (
                  <li key={r.id} className="py-3">
                    <p className="text-sm font-medium">
                      <Link href={`/repositories/${r.id}`} className="text-sky-700 hover:underline">
                        {r.name}
                      </Link>{" "}
                      {r.policy ? <Badge tone="green">required</Badge> : <Badge tone="red">unreadable: changes refused</Badge>}
                    </p>
                    <KeptForm action={setTicketPolicyAction} label={`Ticket policy of ${r.name}`} savedMessage="Saved." className="mt-2">
                      <input type="hidden" name="repositoryId" value={r.id} />
                      <div className="grid gap-2 md:grid-cols-[1fr_2fr_auto_auto] md:items-end">
                        <PolicyFields prefixes={r.policy?.prefixes.join(", ") ?? ""} urlTemplate={r.policy?.urlTemplate ?? ""} of={r.name} />
                        <button type="submit" name="intent" value="set" className={buttonClass}>
                          Save
                        </button>
                        <button type="submit" name="intent" value="off" className={secondaryButtonClass}>
                          Turn off
                        </button>
                      </div>
                    </KeptForm>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="mt-3 text-sm text-slate-600">No repository requires issue keys yet.</p>
            )}
            {without.length > 0 ? (
              <KeptForm
                action={setTicketPolicyAction}
                label="Require issue keys in a repository"
                savedMessage="Saved."
                className="mt-4 border-t border-slate-100 pt-4"
              >
                <h3 className="text-sm font-medium">Require issue keys in a repository</h3>
                <div className="mt-2 grid gap-2 md:grid-cols-[1fr_1fr_2fr_auto] md:items-end">
                  <label className="text-sm">
                    Repository
                    <select name="repositoryId" required defaultValue="" className={`mt-1 ${inputClass}`}>
                      <option value="" disabled>
                        Choose one of {without.length}
                      </option>
                      {without.map((r) => (
                        <option key={r.id} value={r.id}>
                          {r.name}
                        </option>
                      ))}
                    </select>
                  </label>
                  <PolicyFields prefixes="" urlTemplate="" />
                  <button type="submit" name="intent" value="set" className={buttonClass}>
                    Require
                  </button>
                </div>
              </KeptForm>
            ) : null}
          </>
        )}
      </Card>
    </>
  );
}

/** The two fields of a ticket policy; `of` names the repository in their accessible labels when the form is one repository's. */
function PolicyFields({ prefixes, urlTemplate, of }: { prefixes: string; urlTemplate: string; of?: string }) {
  return (
    <>
      <label className="text-sm">
        Issue key prefixes
        <input
          name="prefixes"
          maxLength={500}
          placeholder="ABC, OPS"
          defaultValue={prefixes}
          aria-label={of ? `Issue key prefixes of ${of}` : undefined}
          className={`mt-1 ${inputClass}`}
        />
      </label>
      <label className="text-sm">
        URL template
        <input
          name="urlTemplate"
          maxLength={500}
          placeholder="https://tracker.example/browse/{key}"
          defaultValue={urlTemplate}
          aria-label={of ? `URL template of ${of}` : undefined}
          className={`mt-1 ${inputClass}`}
        />
      </label>
    </>
  );
}

import { requireUser } from "@/lib/auth/session";
import { listTeams, listUsers, USERS_PAGE } from "@/lib/teams";
import { listLinkedEmails } from "@/lib/teams/emails";
import { EmailButton } from "@/components/email-forms";
import { AddMemberForm, CreateTeamForm, HandleForm, RoleForm } from "@/components/settings-forms";
import { Badge, Card, EmptyState, PageHeader, RelativeTime, Table } from "@/components/ui";
import { removeMemberAction } from "@/lib/actions/teams";

export const metadata = { title: "Teams and people" };

export default async function TeamsPage({ searchParams }: { searchParams: Promise<{ q?: string; page?: string }> }) {
  const user = await requireUser("teams:manage");
  const { q, page } = await searchParams;
  const pageNumber = /^[1-9][0-9]{0,4}$/.test(page ?? "") ? Number(page) : 1;
  const [teams, people, linkedEmails] = await Promise.all([
    listTeams(user),
    listUsers(user, { q: typeof q === "string" ? q : undefined, page: pageNumber }),
    listLinkedEmails(user),
  ]);
  const users = people.users;
  return (
    <>
      <PageHeader title="Teams and people" description="Teams are named as CODEOWNERS names them, so ownership rules reach their members." />
      <Card className="mb-6 p-4">
        <CreateTeamForm />
      </Card>
      {teams.length === 0 ? (
        <EmptyState title="No teams yet" />
      ) : (
        <div className="mb-8 grid gap-4 md:grid-cols-2">
          {teams.map((team) => (
            <Card key={team.id} className="p-4">
              <h2 className="font-medium">
                <span className="font-mono">{team.slug}</span> <span className="text-sm font-normal text-slate-500">{team.name}</span>
              </h2>
              <ul className="mt-2 divide-y divide-slate-100 text-sm" aria-label={`Members of ${team.slug}`}>
                {team.members.map((m) => (
                  <li key={m.userId} className="flex items-center justify-between py-1.5">
                    <span>
                      {m.user.name} <span className="text-slate-500">{m.user.email}</span>
                    </span>
                    <form action={removeMemberAction}>
                      <input type="hidden" name="teamId" value={team.id} />
                      <input type="hidden" name="userId" value={m.userId} />
                      <button type="submit" className="text-xs text-red-700 hover:underline">
                        Remove
                      </button>
                    </form>
                  </li>
                ))}
              </ul>
              <AddMemberForm teamId={team.id} slug={team.slug} />
            </Card>
          ))}
        </div>
      )}
      <Card>
        <div className="flex flex-wrap items-center justify-between gap-2 px-4 pt-4">
          <h2 className="font-medium">People</h2>
          <form role="search" className="flex items-center gap-2 text-sm">
            <label htmlFor="people-q" className="sr-only">
              Find people
            </label>
            <input id="people-q" name="q" defaultValue={q ?? ""} placeholder="Email, name or handle" className="rounded-md border border-slate-300 px-2 py-1" />
            <button type="submit" className="rounded-md border border-slate-300 px-2 py-1">
              Find
            </button>
          </form>
        </div>
        <p className="px-4 pt-1 text-xs text-slate-500">
          {people.total === 0
            ? "Nobody matches."
            : `${(people.page - 1) * USERS_PAGE + 1}–${(people.page - 1) * USERS_PAGE + users.length} of ${people.total.toLocaleString("en")}`}
          {people.page * USERS_PAGE < people.total ? (
            <>
              {" · "}
              <a className="text-sky-700 underline" href={`?${new URLSearchParams({ ...(q ? { q } : {}), page: String(people.page + 1) })}`}>
                Next page
              </a>
            </>
          ) : null}
        </p>
        <Table columns={["Name", "Email", "Handle in CODEOWNERS", "Last sign-in", "Role"]} className="mt-2">
          {users.map((u) => (
            <tr key={u.id}>
              <td className="px-4 py-2">{u.name}</td>
              <td className="px-4 py-2">{u.email}</td>
              <td className="px-4 py-2">
                <HandleForm userId={u.id} handle={u.handle} email={u.email} />
              </td>
              <td className="px-4 py-2 text-slate-600">
                <RelativeTime date={u.lastSignInAt} />
              </td>
              <td className="px-4 py-2">
                <RoleForm userId={u.id} role={u.role} email={u.email} />
              </td>
            </tr>
          ))}
        </Table>
      </Card>
      <Card className="mt-6">
        <h2 className="px-4 pt-4 font-medium">Linked emails</h2>
        <p className="px-4 text-sm text-slate-500">
          Extra emails people commit with. Confirm one only when you know it is theirs: commits claiming it then name them, and they may not approve those.
        </p>
        {linkedEmails.length === 0 ? (
          <p className="px-4 py-3 text-sm text-slate-500">None yet.</p>
        ) : (
          <Table columns={["Email", "Person", "Status", ""]} className="mt-2" testId="linked-emails">
            {linkedEmails.map((e) => (
              <tr key={e.id}>
                <td className="px-4 py-2">{e.email}</td>
                <td className="px-4 py-2">
                  {e.user.name} <span className="text-slate-500">{e.user.email}</span>
                </td>
                <td className="px-4 py-2">
                  {e.confirmedAt ? (
                    <Badge tone="green" title={`Confirmed by ${e.confirmedBy?.email ?? "a former admin"}`}>
                      confirmed
                    </Badge>
                  ) : (
                    <Badge tone="amber">waiting</Badge>
                  )}
                </td>
                <td className="space-x-3 px-4 py-2 text-right">
                  {e.confirmedAt ? null : <EmailButton id={e.id} email={e.email} kind="confirm" />}
                  <EmailButton id={e.id} email={e.email} kind="remove" />
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </>
  );
}

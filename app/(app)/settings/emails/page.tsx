import { requireUser } from "@/lib/auth/session";
import { listOwnEmails } from "@/lib/teams/emails";
import { EmailButton, LinkEmailForm } from "@/components/email-forms";
import { Badge, Card, EmptyState, PageHeader, RelativeTime, Table } from "@/components/ui";

export const metadata = { title: "Your emails" };

export default async function EmailsPage() {
  const user = await requireUser("emails:link");
  const emails = await listOwnEmails(user);
  return (
    <>
      <PageHeader
        title="Your emails"
        description={`Commits are matched to you by email: ${user.email}, and the ones below once an admin confirms them. Whoever a commit names (author, committer or signer) may not approve it.`}
      />
      <Card className="mb-6 p-4">
        <LinkEmailForm />
      </Card>
      {emails.length === 0 ? (
        <EmptyState title="No other emails linked" />
      ) : (
        <Card>
          <Table columns={["Email", "Linked", "Status", ""]} testId="emails">
            {emails.map((e) => (
              <tr key={e.id} className="border-b border-slate-100 last:border-0">
                <td className="px-4 py-2">{e.email}</td>
                <td className="px-4 py-2">
                  <RelativeTime date={e.createdAt} />
                </td>
                <td className="px-4 py-2">{e.confirmedAt ? <Badge tone="green">confirmed</Badge> : <Badge tone="amber">waiting for an admin</Badge>}</td>
                <td className="px-4 py-2 text-right">
                  <EmailButton id={e.id} email={e.email} kind="remove" />
                </td>
              </tr>
            ))}
          </Table>
        </Card>
      )}
    </>
  );
}

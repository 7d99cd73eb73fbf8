import { headers } from "next/headers";
import { requireUser } from "@/lib/auth/session";
import { listTokens } from "@/lib/tokens";
import { usableScopes } from "@/lib/tokens/scopes";
import { CreateTokenForm, RevokeTokenForm } from "@/components/token-form";
import { Badge, Card, EmptyState, PageHeader, RelativeTime, Table } from "@/components/ui";

export const metadata = { title: "API tokens" };

export default async function TokensPage() {
  const user = await requireUser("tokens:manage");
  const tokens = await listTokens(user);
  const server = await serverUrl();
  const now = new Date();
  return (
    <>
      <PageHeader
        title="API tokens"
        description="For the CLI and CI: send as Authorization: Bearer <token>. A token can do what its scopes grant and your role allows; only its SHA-256 digest is kept."
      />
      <Card className="mb-6 p-4">
        <CreateTokenForm scopes={usableScopes(user.role)} server={server} />
      </Card>
      {tokens.length === 0 ? (
        <EmptyState title="No tokens yet" />
      ) : (
        <Card>
          <Table columns={["Name", "Token", "Scopes", "Expires", "Last used", ""]} testId="tokens">
            {tokens.map((t) => {
              const state = t.revokedAt ? "revoked" : t.expiresAt <= now ? "expired" : null;
              return (
                <tr key={t.id} className="border-b border-slate-100 last:border-0">
                  <td className="px-4 py-2">{t.name}</td>
                  <td className="px-4 py-2 font-mono text-xs">{t.prefix}…</td>
                  <td className="px-4 py-2 font-mono text-xs">{t.scopes.join(" ")}</td>
                  <td className="px-4 py-2">{state ? <Badge tone="red">{state}</Badge> : <RelativeTime date={t.expiresAt} />}</td>
                  <td className="px-4 py-2">
                    <RelativeTime date={t.lastUsedAt} />
                  </td>
                  <td className="px-4 py-2 text-right">{t.revokedAt ? null : <RevokeTokenForm tokenId={t.id} name={t.name} />}</td>
                </tr>
              );
            })}
          </Table>
        </Card>
      )}
    </>
  );
}

/** The URL the CLI should log in to: the configured public URL, else the one this page was asked for. */
async function serverUrl(): Promise<string> {
  try {
    if (process.env.NEXTAUTH_URL) return new URL(process.env.NEXTAUTH_URL).origin;
  } catch {
    // An unparsable setting: fall back to the request's own host.
  }
  const h = await headers();
  return `${h.get("x-forwarded-proto") === "https" ? "https" : "http"}://${h.get("host") ?? "localhost"}`;
}

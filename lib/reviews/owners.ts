import type { Viewer } from "@/lib/auth/permissions";
import type { Prisma } from "@/lib/db";

type Client = Pick<Prisma.TransactionClient, "$queryRaw" | "user">;

/** The users named by owners: emails, @handles, and members of @org/team teams. */
export async function resolveOwnerIds(client: Client, owners: readonly string[]): Promise<Set<string>> {
  if (owners.length === 0) return new Set();
  const emails = owners.filter((o) => !o.startsWith("@")).map((o) => o.toLowerCase());
  const handles = owners.filter((o) => o.startsWith("@") && !o.includes("/")).map((o) => o.slice(1).toLowerCase());
  const teams = owners.filter((o) => o.startsWith("@") && o.includes("/")).map((o) => o.toLowerCase());
  const rows = await client.$queryRaw<{ id: string }[]>`
    SELECT id FROM "User" WHERE lower(email) = ANY(${emails}::text[]) OR lower(handle) = ANY(${handles}::text[])
    UNION SELECT m."userId" FROM "TeamMember" m JOIN "Team" t ON t.id = m."teamId" WHERE lower(t.slug) = ANY(${teams}::text[])`;
  return new Set(rows.map((r) => r.id));
}

/** How a user appears in owner lists: their email, @handle and teams, lowercased. */
export async function identitiesOf(client: Client, viewer: Pick<Viewer, "id">): Promise<string[]> {
  const user = await client.user.findUnique({
    where: { id: viewer.id },
    select: { email: true, handle: true, teams: { select: { team: { select: { slug: true } } } } },
  });
  if (!user) return [];
  return [user.email, ...(user.handle ? [`@${user.handle}`] : []), ...user.teams.map((t) => t.team.slug)].map((s) => s.toLowerCase());
}

import { withUser } from "@/lib/http/route";
import { findingsQuerySchema, listFindings, PAGE_SIZE, publicFinding } from "@/lib/findings/store";

/** Findings with filters: status, severity, type (comma-separated lists), repository, owner, rule, spec; sort; page. */
export const GET = withUser("specs:read", async ({ request, user }) => {
  const query = findingsQuerySchema.parse(Object.fromEntries(request.nextUrl.searchParams));
  const { findings, total } = await listFindings(user, query);
  return { findings: findings.map(publicFinding), total, page: query.page, pageSize: PAGE_SIZE };
});

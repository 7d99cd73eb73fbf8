import { withUser } from "@/lib/http/route";
import { findingsQuerySchema, listFindings, PAGE_SIZE, publicFinding } from "@/lib/findings/store";

/** Findings with filters: status, severity, type (comma-separated lists), repository, owner, rule, spec; sort; page. */
export const GET = withUser("specs:read", async ({ query, user }) => {
  const filters = findingsQuerySchema.parse(query);
  const { findings, total } = await listFindings(user, filters);
  return { findings: findings.map(publicFinding), total, page: filters.page, pageSize: PAGE_SIZE };
});

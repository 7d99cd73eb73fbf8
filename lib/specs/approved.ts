// "Approved" for a spec, in SQL: an approved change names its current content. The specs list
// (lib/specs/queries.ts) filters by it and the dashboard's Approved card (lib/dashboard/counts.ts)
// counts it; one fragment keeps the two the same. It reads the spec as `s`.
export const APPROVED_AT_CURRENT_HASH = `EXISTS (SELECT 1 FROM "Change" c WHERE c."specId" = s.id AND c.state = 'approved' AND c."currentHash" = s."currentHash")`;

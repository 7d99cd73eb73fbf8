// A run is immutable, and its externalId is unique per reporter (docs/decisions/018): the same
// reporter sending the same id again is a replay only when the payload is the same. These
// functions compare a report with the run as stored and name the fields that differ.

export interface ReportedRef {
  contentHash?: string;
  repository?: string;
  path?: string;
  commit?: string;
}

/** A run report as parsed (defaults applied). */
export interface RunPayload {
  agent: string;
  model?: string;
  repository?: string;
  commit?: string;
  branch?: string;
  startedAt?: string;
  finishedAt?: string;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
  outcome: string;
  links: { label: string; url: string }[];
  specs: ReportedRef[];
  instructions: ReportedRef[];
}

/** A run as stored: numbers from bigint and numeric columns arrive as text, times as Dates. */
export interface StoredRun {
  agent: string;
  model: string | null;
  repositoryName: string | null;
  commitSha: string | null;
  branch: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  inputTokens: string | number | null;
  outputTokens: string | number | null;
  costUsd: string | number | null;
  outcome: string;
  links: unknown;
  refs: { kind: string; contentHash: string | null; repositoryName: string | null; path: string | null; commitSha: string | null }[];
}

/** A reference as it is stored: paths without a leading "./" or "/". */
export function normaliseRefPath(path: string): string {
  return path.replace(/^\.?\//, "");
}

const refKey = (r: { contentHash?: string | null; repository?: string | null; path?: string | null; commit?: string | null }) =>
  r.contentHash ? `sha256:${r.contentHash}` : `${r.repository}:${normaliseRefPath(r.path ?? "")}@${r.commit}`;

const time = (t: string | Date | null | undefined) => (t === null || t === undefined ? null : new Date(t).getTime());
const int = (n: string | number | null | undefined) => (n === null || n === undefined ? null : Number(n));
// costUsd is stored with 6 decimals.
const money = (n: string | number | null | undefined) => (n === null || n === undefined ? null : Math.round(Number(n) * 1e6));
const linksKey = (links: unknown) =>
  JSON.stringify(Array.isArray(links) ? links.map((l: { label?: unknown; url?: unknown }) => [l?.label ?? null, l?.url ?? null]) : links);

/** The fields of `report` that differ from the stored run, by the names the API uses; empty for a replay. */
export function payloadDifferences(report: RunPayload, stored: StoredRun): string[] {
  const storedRefs = (kind: string) =>
    stored.refs.filter((r) => r.kind === kind).map((r) => refKey({ ...r, repository: r.repositoryName, commit: r.commitSha }));
  const pairs: [string, unknown, unknown][] = [
    ["agent", report.agent, stored.agent],
    ["model", report.model ?? null, stored.model],
    ["repository", report.repository ?? null, stored.repositoryName],
    ["commit", report.commit ?? null, stored.commitSha],
    ["branch", report.branch ?? null, stored.branch],
    ["startedAt", time(report.startedAt), time(stored.startedAt)],
    ["finishedAt", time(report.finishedAt), time(stored.finishedAt)],
    ["inputTokens", int(report.inputTokens), int(stored.inputTokens)],
    ["outputTokens", int(report.outputTokens), int(stored.outputTokens)],
    ["costUsd", money(report.costUsd), money(stored.costUsd)],
    ["outcome", report.outcome, stored.outcome],
    ["links", linksKey(report.links), linksKey(stored.links)],
    ["specs", JSON.stringify(report.specs.map(refKey)), JSON.stringify(storedRefs("spec"))],
    ["instructions", JSON.stringify(report.instructions.map(refKey)), JSON.stringify(storedRefs("instruction"))],
  ];
  return pairs.filter(([, a, b]) => a !== b).map(([field]) => field);
}

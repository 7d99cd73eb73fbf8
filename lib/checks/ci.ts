// The pure parts of `specledger check` on the CI side: reading git's name-status output and
// the CI's own variables. The command (lib/cli/commands/check.ts) runs git around them.

export interface ChangedPath {
  status: "added" | "modified" | "deleted";
  path: string;
}

/**
 * Parses `git diff --name-status -z --no-renames`: NUL-separated status, path pairs. Renames are
 * off, so a move is a deletion and an addition (each checked on its own). A type change (T) is a
 * modification; unmerged (U) and unknown statuses are refused.
 */
export function parseNameStatus(output: string): ChangedPath[] {
  const parts = output.split("\0");
  if (parts.at(-1) === "") parts.pop();
  if (parts.length % 2 !== 0) throw new Error("git diff --name-status output is not status/path pairs.");
  const changed: ChangedPath[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const letter = parts[i][0];
    const status = letter === "A" ? "added" : letter === "D" ? "deleted" : letter === "M" || letter === "T" ? "modified" : null;
    if (!status) throw new Error(`git diff reported status ${parts[i]} for ${parts[i + 1]}, which a check cannot judge.`);
    changed.push({ status, path: parts[i + 1] });
  }
  return changed;
}

export interface CiDefaults {
  /** A ref or sha to resolve; for GitHub a branch name, tried as origin/<name> first. */
  base?: string;
  head?: string;
  pullRequest?: number;
  /** Where the defaults came from, for messages. */
  ci: "github" | "gitlab" | null;
}

/**
 * Base, head and PR number from the CI's variables: GitHub Actions (GITHUB_BASE_REF, GITHUB_SHA,
 * GITHUB_REF refs/pull/<n>/merge) and GitLab merge request pipelines
 * (CI_MERGE_REQUEST_DIFF_BASE_SHA, CI_COMMIT_SHA, CI_MERGE_REQUEST_IID).
 */
export function ciDefaults(env: Record<string, string | undefined>): CiDefaults {
  const number = (s: string | undefined) => (s && /^[1-9][0-9]{0,9}$/.test(s) && Number(s) <= 2_147_483_647 ? Number(s) : undefined);
  if (env.GITHUB_ACTIONS === "true") {
    return {
      base: env.GITHUB_BASE_REF || undefined,
      head: env.GITHUB_SHA || undefined,
      pullRequest: number(/^refs\/pull\/(\d+)\//.exec(env.GITHUB_REF ?? "")?.[1]),
      ci: "github",
    };
  }
  if (env.GITLAB_CI === "true") {
    return {
      base: env.CI_MERGE_REQUEST_DIFF_BASE_SHA || undefined,
      head: env.CI_COMMIT_SHA || undefined,
      pullRequest: number(env.CI_MERGE_REQUEST_IID),
      ci: "gitlab",
    };
  }
  return { ci: null };
}

/** CI clones carry a job token in the remote URL (https://gitlab-ci-token:…@host/…); it never leaves the runner. */
export function withoutCredentials(remote: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(remote)) return remote;
  try {
    const url = new URL(remote);
    url.username = "";
    url.password = "";
    return url.toString();
  } catch {
    return remote;
  }
}

/**
 * The pull request's title and source branch, where a ticket policy looks for an issue key:
 * GitHub's event payload (GITHUB_EVENT_PATH, `pull_request.title`) and GITHUB_HEAD_REF; GitLab's
 * CI_MERGE_REQUEST_TITLE and CI_MERGE_REQUEST_SOURCE_BRANCH_NAME. An unreadable payload gives no title.
 */
export function ciPullRequestInfo(env: Record<string, string | undefined>, readFile: (path: string) => string): { title?: string; branch?: string } {
  if (env.GITHUB_ACTIONS === "true") {
    let title: string | undefined;
    try {
      const event = env.GITHUB_EVENT_PATH ? (JSON.parse(readFile(env.GITHUB_EVENT_PATH)) as { pull_request?: { title?: unknown } }) : null;
      title = typeof event?.pull_request?.title === "string" ? event.pull_request.title : undefined;
    } catch {
      title = undefined;
    }
    return { title, branch: env.GITHUB_HEAD_REF || undefined };
  }
  if (env.GITLAB_CI === "true") return { title: env.CI_MERGE_REQUEST_TITLE || undefined, branch: env.CI_MERGE_REQUEST_SOURCE_BRANCH_NAME || undefined };
  return {};
}

/** Text cut to `max` characters that the server can store: no NUL, no surrogate half left by the cut. */
export const clip = (s: string, max: number) => s.replaceAll("\u0000", "").slice(0, max).toWellFormed();

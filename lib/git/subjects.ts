import { gitWithStdin } from "./git";

const SUBJECT_FORMAT = "%H%x1f%s%x1e";

/** Parses `git log --format=SUBJECT_FORMAT` output into sha → subject. */
export function parseSubjects(output: string): Map<string, string> {
  const subjects = new Map<string, string>();
  for (const record of output.split("\x1e")) {
    const [sha, subject] = record.replace(/^\n/, "").split("\x1f");
    if (sha && /^[0-9a-f]{40,64}$/.test(sha)) subjects.set(sha, subject ?? "");
  }
  return subjects;
}

/**
 * The subject line of each commit in `shas`, in one `git log --no-walk` read from stdin;
 * commits the repository no longer has are left out (--ignore-missing) instead of failing.
 */
export function readCommitSubjects(opts: { gitDir: string; shas: string[] }): Promise<Map<string, string>> {
  const shas = [...new Set(opts.shas)].filter((sha) => /^[0-9a-f]{40,64}$/.test(sha));
  if (shas.length === 0) return Promise.resolve(new Map());
  const args = [`--git-dir=${opts.gitDir}`, "log", "--no-walk=unsorted", "--ignore-missing", "--stdin", `--format=${SUBJECT_FORMAT}`];
  return gitWithStdin(args, shas.join("\n") + "\n").then(parseSubjects);
}

import { readBlobs } from "./cat-file";

/**
 * Every .gitignore of a listed tree, by folder ("" the root); at most 200 (a vendored tree can hold
 * thousands), read through one `cat-file --batch`.
 */
export async function gitignoresAt(gitDir: string, blobIds: ReadonlyMap<string, string>): Promise<Record<string, string>> {
  // `blobIds` may be a whole tree's (the CLI's) or its .gitignore files' alone (a findings run's).
  const wanted = [...blobIds].filter(([p]) => p === ".gitignore" || p.endsWith("/.gitignore")).slice(0, 200);
  if (wanted.length === 0) return {}; // no git process for a tree without any
  const read = new Map<string, string>();
  await readBlobs({
    gitDir,
    blobIds: [...new Set(wanted.map(([, id]) => id))],
    onBlob: (id, bytes) => void (bytes && read.set(id, bytes.toString("utf8"))),
  }).catch(
    () => {}, // unreadable ignore files ignore nothing: references under them are judged as any other
  );
  const texts: Record<string, string> = {};
  for (const [p, id] of wanted) {
    const text = read.get(id);
    if (text !== undefined) texts[p === ".gitignore" ? "" : p.slice(0, -"/.gitignore".length)] = text;
  }
  return texts;
}

// Builds the lint corpus fixtures (lib/findings/corpus/) from bare mirrors of public
// repositories: `node scripts/lint-corpus.mjs <mirror root>` (default /work/.mirror, folders
// named <owner>+<name>/repo). It copies each file named in the manifest at the pinned commit,
// the tree listing of its repository, and its .gitignore files; a repository with no mirror is
// left as it is. The labels in the manifest are written by hand and kept as they are.
// A file with `redact` ranges (a live-looking credential) gets those characters replaced before it is written: each
// letter or digit by another of its kind, drawn from a hash of the file's place, never of the secret, so the fixture keeps
// the credential's shape for the rules and publishes nothing of it (decision 028, third pass).
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = process.argv[2] ?? "/work/.mirror";
const corpus = path.join(import.meta.dirname, "..", "lib", "findings", "corpus");
const manifestPath = path.join(corpus, "manifest.json");
const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8"));
const git = (repo, args) => execFileSync("git", [`--git-dir=${path.join(root, repo.replace("/", "+"), "repo")}`, ...args], { maxBuffer: 1 << 28 }).toString();

/** The blob with every `{ line, start, end }` range (1-based line, 0-based columns, end excluded) scrambled in place. */
function redact(blob, repoName, file) {
  const lines = blob.toString("utf8").split("\n");
  for (const { line, start, end } of file.redact) {
    const text = lines[line - 1];
    if (text === undefined || end > text.length || start >= end) throw new Error(`${file.path}: no range ${start}-${end} on line ${line}`);
    const bytes = createHash("sha256").update(`${repoName}:${file.path}:${line}:${start}`).digest();
    const scrambled = [...text.slice(start, end)].map((ch, i) => {
      const b = bytes[i % bytes.length] + i;
      if (/[0-9]/.test(ch)) return String.fromCharCode(48 + (b % 10));
      if (/[a-z]/.test(ch)) return String.fromCharCode(97 + (b % 26));
      if (/[A-Z]/.test(ch)) return String.fromCharCode(65 + (b % 26));
      return ch;
    });
    lines[line - 1] = text.slice(0, start) + scrambled.join("") + text.slice(end);
  }
  return lines.join("\n");
}

for (const repo of manifest.repositories) {
  // A repository without a mirror here keeps its fixtures, tree and .gitignore texts as committed.
  if (!fs.existsSync(path.join(root, repo.name.replace("/", "+"), "repo"))) {
    console.error(`skipped ${repo.name}: no mirror at ${root}`);
    continue;
  }
  const tree = git(repo.name, ["ls-tree", "-r", "-t", "--full-tree", "--name-only", repo.commit]);
  fs.mkdirSync(path.join(corpus, "trees"), { recursive: true });
  fs.writeFileSync(path.join(corpus, "trees", `${repo.name.replace("/", "+")}.txt`), tree);
  const paths = new Set(tree.split("\n").filter(Boolean));
  for (const file of manifest.files.filter((f) => f.repo === repo.name)) {
    const target = path.join(corpus, "files", repo.name.replace("/", "+"), `${file.path}.fixture`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const blob = git(repo.name, ["show", `${repo.commit}:${file.path}`]);
    fs.writeFileSync(target, file.redact ? redact(blob, repo.name, file) : blob);
  }
  repo.gitignores = {};
  // Every .gitignore of the tree: a reference may point into any folder.
  for (const p of [...paths].filter((x) => x === ".gitignore" || x.endsWith("/.gitignore")).sort()) {
    repo.gitignores[p === ".gitignore" ? "" : p.slice(0, -"/.gitignore".length)] = git(repo.name, ["show", `${repo.commit}:${p}`]);
  }
}
fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + "\n");

// Builds the lint corpus fixtures (lib/findings/corpus/) from bare mirrors of public
// repositories: `node scripts/lint-corpus.mjs <mirror root>` (default /work/.mirror, folders
// named <owner>+<name>/repo). It copies each file named in the manifest at the pinned commit,
// the tree listing of its repository, and its .gitignore files; a repository with no mirror is
// left as it is. The labels in the manifest are written by hand and kept as they are.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = process.argv[2] ?? "/work/.mirror";
const corpus = path.join(import.meta.dirname, "..", "lib", "findings", "corpus");
const manifestPath = path.join(corpus, "manifest.json");
const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8"));
const git = (repo, args) => execFileSync("git", [`--git-dir=${path.join(root, repo.replace("/", "+"), "repo")}`, ...args], { maxBuffer: 1 << 28 }).toString();

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
    fs.writeFileSync(target, git(repo.name, ["show", `${repo.commit}:${file.path}`]));
  }
  repo.gitignores = {};
  // Every .gitignore of the tree: a reference may point into any folder.
  for (const p of [...paths].filter((x) => x === ".gitignore" || x.endsWith("/.gitignore")).sort()) {
    repo.gitignores[p === ".gitignore" ? "" : p.slice(0, -"/.gitignore".length)] = git(repo.name, ["show", `${repo.commit}:${p}`]);
  }
}
fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + "\n");

import { spawn } from "node:child_process";
import path from "node:path";
import { git } from "@/lib/git/git";
import { freePort } from "./ports";

/**
 * Serves the given repositories (working trees or bare) over git:// on the loopback address
 * with `git daemon`, so tests can import real URL sources (file:// is refused by design).
 * Each is reachable as `git://127.0.0.1:<port>/<folder name>`.
 */
export async function serveGit(repositoryPaths: string[]): Promise<{ urlOf: (repositoryPath: string) => string; base: string; stop: () => void }> {
  const parents = new Set(repositoryPaths.map((p) => path.dirname(p)));
  if (parents.size !== 1) throw new Error("serveGit serves repositories of one parent folder");
  const [parent] = parents;
  const port = await freePort();
  const daemon = spawn("git", ["daemon", "--reuseaddr", "--listen=127.0.0.1", `--port=${port}`, `--base-path=${parent}`, "--export-all", ...repositoryPaths], {
    stdio: "ignore",
  });
  const base = `git://127.0.0.1:${port}`;
  const urlOf = (repositoryPath: string) => `${base}/${path.basename(repositoryPath)}`;
  // The daemon answers once it listens; bounded by count, not by a clock.
  for (let i = 0; i < 100; i++) {
    if (
      await git(["ls-remote", urlOf(repositoryPaths[0])]).then(
        () => true,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { urlOf, base, stop: () => void daemon.kill("SIGTERM") };
}

// Security rules over agent configuration: grants that let an agent run anything without asking,
// secrets written in plain text, and MCP servers reached over plain HTTP or launched from unpinned packages.
import type { ConfigIssue } from "./types";

// --- Grants ---------------------------------------------------------------------------------

const UNRESTRICTED_BASH = /^Bash(?:\(\s*\*?\s*(?::\s*\*)?\s*\))?$/;
const RM_RF = /\brm\s+(?:-[a-zA-Z]*(?:r[a-zA-Z]*f|f[a-zA-Z]*r)[a-zA-Z]*|-[rR]\s+-f|-f\s+-[rR]|--recursive\s+--force|--force\s+--recursive)(?![\w-])/;
const PIPE_TO_SHELL = /\b(?:curl|wget)\b[^|;&\n]*\|\s*(?:sudo\s+)?(?:ba|z|da|k)?sh\b/;
const SKIP_PERMISSIONS = /--dangerously-skip-permissions\b/;

// A permission rule without a wildcard matches that exact command only (https://code.claude.com/docs/en/iam, "Bash"):
// `Bash(rm -rf e2e-tests/screenshots)` can delete that one folder and nothing else (dyad's settings, decision 028).
// Read token by token: a regex with a repeated group of paths backtracks for long on a long entry.
function removesNamedPathsOnly(entry: string): boolean {
  const m = /^Bash\(([^()]*)\)$/.exec(entry);
  const tokens = m ? m[1].trim().split(/\s+/) : [];
  if (tokens[0] !== "rm") return false;
  let paths = 0;
  for (const token of tokens.slice(1)) {
    if (token.startsWith("-")) {
      if (!/^(?:-[a-zA-Z]+|--recursive|--force)$/.test(token)) return false;
      continue;
    }
    // A relative path of plain names: no wildcard, variable, home, root, `..` or the current folder itself.
    const names = token.split("/").filter(Boolean);
    if (!/^[\w@%+=,.-]+(?:\/[\w@%+=,.-]+)*\/?$/.test(token) || names.includes("..") || names.every((n) => n === ".")) return false;
    paths++;
  }
  return paths > 0;
}

/** Why one granted tool or hook command is dangerous, or null. */
export function dangerOf(entry: string, where: "grant" | "hook"): string | null {
  const text = entry.trim();
  if (where === "grant" && UNRESTRICTED_BASH.test(text)) return "unrestricted Bash: any shell command runs without asking";
  if (RM_RF.test(text) && !(where === "grant" && removesNamedPathsOnly(text))) return "`rm -rf` deletes recursively without confirmation";
  if (PIPE_TO_SHELL.test(text)) return "downloads a script and pipes it straight into a shell";
  if (SKIP_PERMISSIONS.test(text)) return "`--dangerously-skip-permissions` turns every permission check off";
  return null;
}

/** Tool names of an `allowed-tools` field: a list, or one string separated by commas or spaces outside parentheses. */
export function toolList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string").flatMap(toolList);
  if (typeof value !== "string") return [];
  const tools: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of value) {
    if (ch === "(") depth++;
    if (ch === ")") depth = Math.max(0, depth - 1);
    if ((ch === "," || /\s/.test(ch)) && depth === 0) {
      if (current.trim()) tools.push(current.trim());
      current = "";
    } else current += ch;
  }
  if (current.trim()) tools.push(current.trim());
  return tools;
}

/** Every `command` string below a hooks object (Claude Code: event → matchers → hooks → command). */
export function hookCommands(hooks: unknown, depth = 0): string[] {
  if (depth > 8 || hooks === null || typeof hooks !== "object") return [];
  if (Array.isArray(hooks)) return hooks.flatMap((h) => hookCommands(h, depth + 1));
  const out: string[] = [];
  for (const [key, value] of Object.entries(hooks)) {
    if (key === "command" && typeof value === "string") out.push(value);
    else out.push(...hookCommands(value, depth + 1));
  }
  return out;
}

export interface Grants {
  /** Tools approved without asking (skill and command `allowed-tools`, settings `permissions.allow`). */
  allowed: string[];
  hooks: string[];
  /** `permissionMode` / `defaultMode` values. */
  modes: string[];
}

export function grantIssues(grants: Grants, lineOf: (needle: string) => number | null): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const mode of grants.modes) {
    if (mode !== "bypassPermissions") continue;
    issues.push({
      rule: "agent-dangerous-grant",
      line: lineOf("bypassPermissions"),
      message: "`bypassPermissions` lets the agent run every tool, shell commands included, without asking.",
      suggestion: 'Use "default" or "acceptEdits", and allow the few commands the task needs (e.g. "Bash(npm test:*)").',
      evidence: { grant: mode, reason: "bypassPermissions" },
    });
  }
  for (const [list, where] of [
    [grants.allowed, "grant"],
    [grants.hooks, "hook"],
  ] as const) {
    for (const entry of list) {
      const reason = dangerOf(entry, where);
      if (!reason) continue;
      issues.push({
        rule: "agent-dangerous-grant",
        line: lineOf(entry),
        message: `${where === "grant" ? "Allowed tool" : "Hook command"} "${entry.length > 120 ? entry.slice(0, 117) + "..." : entry}": ${reason}.`,
        suggestion:
          where === "grant"
            ? 'Allow specific commands instead (e.g. "Bash(git status:*)"), and leave the rest to ask.'
            : "Make the hook do the narrow thing it needs: delete named paths, and install pinned, checksummed tools instead of piping a download into a shell.",
        evidence: { grant: entry, reason },
      });
    }
  }
  return issues;
}

// --- Secrets --------------------------------------------------------------------------------

const SECRET_PATTERNS: Array<{ name: string; regex: RegExp }> = [
  { name: "AWS access key id", regex: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { name: "GitHub token", regex: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g },
  { name: "GitHub fine-grained token", regex: /\bgithub_pat_[A-Za-z0-9_]{40,}\b/g },
  { name: "Anthropic API key", regex: /\bsk-ant-[A-Za-z0-9_-]{30,}/g },
  { name: "OpenAI API key", regex: /\bsk-(?!ant-)(?:proj-|svcacct-)?[A-Za-z0-9_-]{32,}/g },
  { name: "Slack token", regex: /\bxox[abposr]-[A-Za-z0-9-]{20,}/g },
  { name: "Google API key", regex: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { name: "Stripe live key", regex: /\b[sr]k_live_[0-9A-Za-z]{24,}\b/g },
  { name: "private key", regex: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----/g },
];

// Documentation writes example keys; these words mark them as not real.
const PLACEHOLDER = /x{4,}|X{4,}|\*{3,}|\.{3}|<[^>]*>|\$\{|\{\{|example|sample|dummy|placeholder|your|redacted|changeme|test(?:ing)?[_-]?key|0{8,}|1234567/i;
const SECRET_KEY = /(?:token|secret|password|passwd|api[-_]?key|apikey|authorization|private[-_]?key|credential)/i;

/** `abcd…` : enough to find it, not enough to use it. */
export const mask = (secret: string) => `${secret.slice(0, 4)}…(${secret.length} characters)`;

function looksReal(value: string): boolean {
  if (value.length < 8 || PLACEHOLDER.test(value) || /^(.)\1+$/.test(value)) return false;
  // An environment reference (`$TOKEN`, `%TOKEN%`, `env:TOKEN`) is the right way to write it.
  if (/^(?:\$\w+|%\w+%|env:\w+|Bearer \$\w+)$/.test(value)) return false;
  return true;
}

// Every pattern above starts with one of these literals: a text holding none of them holds no secret, read once.
const SECRET_PREFIX = /AKIA|ASIA|gh[pousr]_|github_pat_|sk-|xox[abposr]-|AIza|k_live_|-----BEGIN /;

/** Known credential formats anywhere in the text, line by line. */
export function secretsInText(text: string): ConfigIssue[] {
  if (!SECRET_PREFIX.test(text)) return [];
  const issues: ConfigIssue[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((lineText, index) => {
    for (const { name, regex } of SECRET_PATTERNS) {
      for (const m of lineText.matchAll(regex)) {
        if (name !== "private key" && !looksReal(m[0])) continue;
        if (name === "private key" && !/^[A-Za-z0-9+/=]{40,}$/.test((lines[index + 1] ?? "").trim())) continue;
        issues.push(secretIssue(index + 1, name, m[0], lineText));
      }
    }
  });
  return issues;
}

// A path to the file that holds the credential (`GOOGLE_OAUTH_CREDENTIALS: "C:\\Users\\me\\credentials.json"`, decision 028):
// rooted (drive, `/`, `~/`, `./`) and ending in a file name with an extension. A base64 key may hold `/` but never a dot,
// and a JWT holds dots but starts with `eyJ`, so neither reads as a path.
const FILE_PATH = /^(?:[A-Za-z]:[\\/]|~[\\/]|\.{1,2}[\\/]|\/)(?:[^\\/\s]+[\\/])*[^\\/\s]+\.[A-Za-z][A-Za-z0-9]{0,5}$/;

// A URL whose host is this machine (`bolt://localhost:7687`, `postgres://127.0.0.1/db`).
const LOCAL_URL = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/\s]*@)?(?:localhost|127\.0\.0\.1|\[::1\]|0\.0\.0\.0|host\.docker\.internal)(?::\d+)?(?:[/?#]|$)/i;
const PASSWORD_KEY = /pass(?:word|wd)/i;

/**
 * Literal values of secret-named keys in `env` / `headers` objects of JSON configuration. A
 * password beside a URL to a service on this machine (`NEO4J_URI: bolt://localhost:7687`,
 * `NEO4J_PASSWORD: …`) is that local service's development default, not a shared secret
 * (0-uddeshya-0/V-A-U-L-T, decision 028); tokens and keys beside it are still reported.
 */
export function secretsInValues(values: Record<string, unknown>, lineOf: (needle: string) => number | null, lines: string[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const localService = Object.values(values).some((v) => typeof v === "string" && LOCAL_URL.test(v));
  for (const [key, value] of Object.entries(values)) {
    if (typeof value !== "string" || !SECRET_KEY.test(key)) continue;
    if (localService && PASSWORD_KEY.test(key)) continue;
    const issue = literalSecret(`value of ${key}`, value, lineOf, lines);
    if (issue) issues.push(issue);
  }
  return issues;
}

/** A value written out in full where a reference belongs, or null (a placeholder, a reference, a path to a credentials file). */
function literalSecret(what: string, value: string, lineOf: (needle: string) => number | null, lines: string[]): ConfigIssue | null {
  const literal = value.replace(/^(?:Bearer|Basic|token)\s+/i, "");
  if (!looksReal(literal) || /\s/.test(literal) || FILE_PATH.test(literal)) return null;
  // The text holds the value as JSON writes it: a backslash or a quote is escaped there.
  const line = lineOf(value) ?? lineOf(JSON.stringify(value).slice(1, -1));
  return secretIssue(line, what, literal, line ? (lines[line - 1] ?? "") : "");
}

function secretIssue(line: number | null, what: string, secret: string, lineText: string): ConfigIssue {
  return {
    rule: "agent-plaintext-secret",
    line,
    message: `A ${what} is written in plain text (${mask(secret)}); everyone who can read the repository can use it.`,
    suggestion: "Revoke it now, then read it from the environment (e.g. `${env:API_TOKEN}` in VS Code, `${API_TOKEN}` in .mcp.json).",
    // The stored evidence carries the line with the secret masked, never the secret itself.
    evidence: { secret: mask(secret), kind: what, text: lineText.split(secret).join(mask(secret)) },
  };
}

// --- MCP servers ----------------------------------------------------------------------------

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1", "0.0.0.0", "host.docker.internal"]);
// A dev container or Compose file: its services reach each other by service name on a private bridge network.
const CONTAINER_FILES = /(?:^|\/)(?:\.devcontainer\/|(?:docker-)?compose(?:\.[\w.-]+)?\.ya?ml$)/;

/**
 * Whether plain http to this host stays on the machine. A host without a dot (`jenkins`, `mcp-server`) in a repository
 * that defines containers is a Compose service name (0GiS0/github-copilot-and-jenkins, decision 028); without a tree,
 * or in a repository that defines none, it may be an intranet host and is still reported.
 */
function staysLocal(hostname: string, tree?: ReadonlySet<string>): boolean {
  if (LOCAL_HOSTS.has(hostname)) return true;
  if (!tree || hostname.includes(".") || hostname.includes(":") || hostname.startsWith("[")) return false;
  for (const path of tree) if (CONTAINER_FILES.test(path)) return true;
  return false;
}
const EXACT_NPM = /^(?:@[^/@\s]+\/)?[^@/\s]+@v?\d+\.\d+\.\d+(?:[-+][\w.-]+)?$/;
// One character class after the first digit: nested quantifiers over overlapping classes
// (digits are word characters) took exponential time on a long "1aaa…!" version.
const EXACT_PY = /^[A-Za-z0-9._-]+(?:\[[^\]]*\])?(?:==|@)v?\d[\w.+!-]*$/;

/** The package a launcher (`npx`, `bunx`, `pnpm dlx`, `uvx`, `pipx run`...) runs, with whether it is pinned; null when it runs no registry package. */
export function launchedPackage(tokens: string[]): { launcher: string; pkg: string; pinned: boolean } | null {
  const base = (t: string) => t.slice(t.lastIndexOf("/") + 1).replace(/\.(?:cmd|exe)$/i, "");
  for (let i = 0; i < tokens.length; i++) {
    const t = base(tokens[i]);
    let start = -1;
    let python = false;
    if (t === "npx" || t === "bunx") start = i + 1;
    else if ((t === "pnpm" || t === "yarn") && tokens[i + 1] === "dlx") start = i + 2;
    else if (t === "npm" && tokens[i + 1] === "exec") start = i + 2;
    else if (t === "uvx") [start, python] = [i + 1, true];
    else if ((t === "uv" && tokens[i + 1] === "tool" && tokens[i + 2] === "run") || (t === "pipx" && tokens[i + 1] === "run"))
      [start, python] = [i + (t === "uv" ? 3 : 2), true];
    if ((t === "docker" || t === "podman") && tokens[i + 1] === "run") return dockerImage(t, tokens.slice(i + 2));
    if (start < 0) continue;
    let pkg: string | null = null;
    for (let j = start; j < tokens.length; j++) {
      const a = tokens[j];
      if (a === "--") break;
      const inline = a.match(/^--(?:package|from)=(.+)$/);
      if (inline) return result(t, inline[1], python);
      if (a === "-p" || a === "--package" || a === "--from") return tokens[j + 1] ? result(t, tokens[j + 1], python) : null;
      if (a === "--with" || a === "--python" || a === "--registry" || a === "--cache") {
        j++;
        continue;
      }
      if (a.startsWith("-")) continue;
      pkg = a;
      break;
    }
    return pkg ? result(t, pkg, python) : null;
  }
  return null;
}

// `docker run` options that take a value, so the value is not mistaken for the image.
const DOCKER_VALUE_FLAGS = new Set([
  "-e",
  "--env",
  "--env-file",
  "-v",
  "--volume",
  "--mount",
  "--name",
  "--network",
  "-p",
  "--publish",
  "--entrypoint",
  "-w",
  "--workdir",
  "-u",
  "--user",
  "--platform",
  "-l",
  "--label",
  "--add-host",
  "--cpus",
  "-m",
  "--memory",
]);

function dockerImage(launcher: string, args: string[]) {
  for (let j = 0; j < args.length; j++) {
    const a = args[j];
    if (DOCKER_VALUE_FLAGS.has(a)) {
      j++;
      continue;
    }
    if (a.startsWith("-")) continue;
    // An image is pinned by digest or by a version tag; no tag means :latest.
    const tag = a.includes("@sha256:") ? "digest" : (a.slice(a.lastIndexOf("/") + 1).split(":")[1] ?? "latest");
    return { launcher, pkg: a, pinned: tag === "digest" || (tag !== "latest" && /\d/.test(tag)) };
  }
  return null;
}

function result(launcher: string, pkg: string, python: boolean) {
  // A local path or URL is not a registry package.
  if (/^(?:\.{0,2}\/|[a-z]+:\/\/|git\+)/i.test(pkg)) return null;
  return { launcher, pkg, pinned: (python ? EXACT_PY : EXACT_NPM).test(pkg) };
}

/** MCP servers of `.mcp.json` / `.cursor/mcp.json` (`mcpServers`) and `.vscode/mcp.json` (`servers`). */
export function mcpIssues(config: unknown, lineOf: (needle: string) => number | null, lines: string[], tree?: ReadonlySet<string>): ConfigIssue[] {
  if (config === null || typeof config !== "object" || Array.isArray(config)) return [];
  const record = config as Record<string, unknown>;
  const servers = [record.mcpServers, record.servers].find((s) => s !== null && typeof s === "object" && !Array.isArray(s)) as
    Record<string, unknown> | undefined;
  if (!servers) return [];
  const issues: ConfigIssue[] = [];
  for (const [name, raw] of Object.entries(servers)) {
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) continue;
    const server = raw as Record<string, unknown>;
    const line = lineOf(`"${name}"`);
    if (typeof server.url === "string") {
      let url: URL | null = null;
      try {
        url = new URL(server.url);
      } catch {
        url = null;
      }
      if (url?.protocol === "http:" && !staysLocal(url.hostname, tree)) {
        issues.push({
          rule: "agent-mcp-http",
          line: lineOf(server.url) ?? line,
          message: `MCP server "${name}" is reached over plain HTTP (${url.host}): its tool calls, results and credentials travel unencrypted.`,
          suggestion: `Use https://${url.host}${url.pathname}.`,
          evidence: { server: name, url: `${url.protocol}//${url.host}${url.pathname}` },
        });
      }
    }
    const tokens = [
      ...(typeof server.command === "string" ? server.command.trim().split(/\s+/) : []),
      ...(Array.isArray(server.args) ? server.args.filter((a): a is string => typeof a === "string") : []),
    ];
    const launched = launchedPackage(tokens);
    if (launched && !launched.pinned) {
      const docker = launched.launcher === "docker" || launched.launcher === "podman";
      issues.push({
        rule: "agent-mcp-unpinned",
        line,
        message: `MCP server "${name}" runs \`${launched.launcher} ${launched.pkg}\` without an exact version: every start runs whatever was published last.`,
        suggestion: docker
          ? `Pin the image by digest (${launched.pkg.replace(/:[^/:]*$/, "")}@sha256:...) or by a version tag, and update it on purpose.`
          : `Pin it, e.g. \`${launched.pkg.replace(/(.)@[^/@]*$/, "$1").replace(/==.*$/, "")}${launched.launcher === "uvx" || launched.launcher === "pipx" || launched.launcher === "uv" ? "==1.2.3" : "@1.2.3"}\`, and update it on purpose.`,
        evidence: { server: name, launcher: launched.launcher, package: launched.pkg },
      });
    }
    for (const key of ["env", "headers"]) {
      const values = server[key];
      if (values !== null && typeof values === "object" && !Array.isArray(values))
        issues.push(...secretsInValues(values as Record<string, unknown>, lineOf, lines));
    }
    if (Array.isArray(server.args))
      issues.push(
        ...secretsInArgs(
          server.args.filter((a): a is string => typeof a === "string"),
          lineOf,
          lines,
        ),
      );
  }
  return issues;
}

// A command-line flag that takes a credential: `--key`, `--api-key`, `--token`, `--password`, `-p`…
const SECRET_FLAG = /^--?(?:[\w-]*(?:token|secret|password|passwd|api[-_]?key|apikey|credential)[\w-]*|key|auth)$/i;

/**
 * Credentials passed to an MCP server on its command line (1140137093/snake, decision 028): the
 * value after a credential flag (`--key u742…`, `--api-key=…`), and secret-named fields of a JSON
 * object passed as one argument (`--config {"mysqlPassword": …}`), judged as env values are.
 */
export function secretsInArgs(args: string[], lineOf: (needle: string) => number | null, lines: string[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  args.forEach((arg, i) => {
    const inline = /^(--?[\w-]+)=(.+)$/s.exec(arg);
    const flag = inline ? inline[1] : i > 0 ? args[i - 1] : "";
    const value = inline ? inline[2] : arg;
    if ((inline || i > 0) && SECRET_FLAG.test(flag) && !value.startsWith("-")) {
      const issue = literalSecret(`value after ${flag}`, value, (needle) => lineOf(arg) ?? lineOf(needle), lines);
      if (issue) issues.push(issue);
      return;
    }
    if (!arg.trimStart().startsWith("{")) return;
    try {
      const parsed: unknown = JSON.parse(arg);
      if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
        const line = lineOf(JSON.stringify(arg).slice(1, -1)) ?? lineOf(arg);
        issues.push(...secretsInValues(parsed as Record<string, unknown>, () => line, lines));
      }
    } catch {
      // not JSON: an ordinary argument
    }
  });
  return issues;
}

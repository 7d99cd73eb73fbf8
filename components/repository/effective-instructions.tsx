// "What does <agent> see in <dir>?" on the repository page: a GET form (agent, directory) and the
// answer of lib/instructions (the files in order, the cut, what was passed over, the problems).
import type { Viewer } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { AGENT_IDS, AGENTS, isAgentId } from "@/lib/instructions/agents";
import { getEffectiveInstructions, listInstructionDirectories } from "@/lib/instructions/queries";
import type { EffectiveEntry } from "@/lib/instructions/resolve";
import { Badge, Card, inputClass, secondaryButtonClass } from "@/components/ui";

const STATUS_TONE: Record<EffectiveEntry["status"], "green" | "amber" | "red" | "gray"> = {
  loaded: "green",
  "may-load": "gray",
  truncated: "amber",
  dropped: "red",
  unreadable: "red",
};

const size = (bytes: number) => (bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} B`);

export async function EffectiveInstructionsSection({
  viewer,
  repositoryId,
  agent,
  directory,
}: {
  viewer: Viewer;
  repositoryId: string;
  agent: string | undefined;
  directory: string | undefined;
}) {
  const chosen = agent && isAgentId(agent) ? agent : "codex";
  const dir = directory ?? "";
  const directories = await listInstructionDirectories(viewer, repositoryId);
  let answer: Awaited<ReturnType<typeof getEffectiveInstructions>> | null = null;
  let error: string | null = null;
  if (agent !== undefined) {
    try {
      answer = await getEffectiveInstructions(viewer, { repositoryId, agent, path: dir });
    } catch (e) {
      // Refusals (unknown agent, a path outside the repository, no such directory) are shown, not thrown.
      if (e instanceof AppError && ["bad_request", "not_found"].includes(e.code)) error = e.message;
      else throw e;
    }
  }
  return (
    <Card className="mt-6 p-4">
      <section id="instructions" aria-labelledby="instructions-heading">
        <h2 id="instructions-heading" className="font-medium">
          What does {AGENTS[chosen].name} see in <code className="font-mono text-sm">{dir === "" ? "/" : `${dir}/`}</code>?
        </h2>
        <p className="text-sm text-slate-600">
          The instruction files the agent loads there at the imported head, in order, with its size limit applied (decision 035).
        </p>
        <form method="get" action={`/repositories/${repositoryId}#instructions`} className="mt-3 flex flex-wrap items-end gap-3">
          <label className="text-sm font-medium">
            Agent
            <select name="agent" defaultValue={chosen} className={`mt-1 ${inputClass}`}>
              {AGENT_IDS.map((id) => (
                <option key={id} value={id}>
                  {AGENTS[id].name}
                </option>
              ))}
            </select>
          </label>
          <label className="min-w-64 text-sm font-medium">
            Directory
            <input name="dir" defaultValue={dir} list="instruction-directories" placeholder="the root" className={`mt-1 ${inputClass}`} />
            <datalist id="instruction-directories">
              {directories.map((d) => (
                <option key={d} value={d} />
              ))}
            </datalist>
          </label>
          <button type="submit" className={secondaryButtonClass}>
            Show
          </button>
        </form>
        {error ? (
          <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {error}
          </p>
        ) : null}
        {answer ? <Answer answer={answer} /> : null}
      </section>
    </Card>
  );
}

function Answer({ answer }: { answer: Awaited<ReturnType<typeof getEffectiveInstructions>> }) {
  return (
    <div className="mt-4 text-sm" data-testid="effective-instructions">
      <p className="text-slate-600">{answer.agent.precedence}</p>
      {answer.entries.length === 0 ? (
        <p className="mt-2 text-slate-500">No instruction file loads here.</p>
      ) : (
        <ol className="mt-2 space-y-2">
          {answer.entries.map((e) => (
            <li key={e.path} style={{ marginLeft: `${e.depth * 1.5}rem` }}>
              <span className="font-mono">{e.order}.</span> <span className="font-mono">{e.path}</span> <Badge tone={STATUS_TONE[e.status]}>{e.status}</Badge>{" "}
              <span className="text-slate-500">
                {size(e.bytes)} · {e.reason}
              </span>
              {e.cut ? (
                <div className="mt-1 rounded-md bg-amber-50 px-3 py-2 text-amber-900">
                  Cut {e.cut.line ? `at line ${e.cut.line}, column ${e.cut.column}` : `after ${e.cut.offset} bytes`}: {size(e.cut.lostBytes)} lost
                  {e.cut.lostHeadings.length > 0 ? `, including ${e.cut.lostHeadings.join(", ")}` : ""}.
                  {e.cut.lostPreview ? <pre className="mt-1 max-h-24 overflow-auto whitespace-pre-wrap font-mono text-xs">{e.cut.lostPreview}…</pre> : null}
                </div>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      <p className="mt-3 text-slate-600">
        {answer.totals.files} files, {size(answer.totals.bytes)}, {size(answer.totals.loadedBytes)} read, about {answer.totals.tokens.toLocaleString("en")}{" "}
        tokens (an estimate).
        {answer.budget ? ` Limit: ${answer.budget.description}${answer.budget.over ? " — over." : "."}` : " No documented size limit."}
      </p>
      {answer.problems.length > 0 ? (
        <>
          <h3 className="mt-3 font-medium">Problems</h3>
          <ul className="list-disc pl-5">
            {answer.problems.map((p, i) => (
              <li key={`${p.code}-${i}`}>
                <Badge tone={p.code === "over-budget" || p.code === "truncated" || p.code === "dropped" ? "amber" : "red"}>{p.code}</Badge> {p.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {answer.skipped.length > 0 ? (
        <details className="mt-3">
          <summary className="cursor-pointer">Not loaded here ({answer.skipped.length})</summary>
          <ul className="mt-1 list-disc pl-5">
            {answer.skipped.map((s) => (
              <li key={s.path}>
                <span className="font-mono">{s.path}</span>: {s.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <p className="mt-3 text-xs text-slate-500">{answer.agent.notes.join(" ")}</p>
    </div>
  );
}

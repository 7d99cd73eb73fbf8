import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { listOwnershipRules } from "@/lib/ownership/rules";
import { plural } from "@/lib/text";
import { AddRuleForm, RuleForm } from "@/components/ownership-forms";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui";

export const metadata = { title: "Ownership and review policies" };

type Rule = Awaited<ReturnType<typeof listOwnershipRules>>["rules"][number];

export default async function OwnershipPage() {
  const user = await requireUser("policies:manage");
  const { workspace, rules, repositories } = await listOwnershipRules(user);
  const byRepository = new Map<string, { name: string; rules: Rule[] }>();
  for (const rule of rules) {
    const entry = byRepository.get(rule.repositoryId!) ?? { name: rule.repository!.name, rules: [] };
    entry.rules.push(rule);
    byRepository.set(rule.repositoryId!, entry);
  }
  return (
    <>
      <PageHeader
        title="Ownership and review policies"
        description="Who owns which files, and what a change to them needs. Workspace-wide rules come first, each repository's after them; as in CODEOWNERS, the last matching rule wins."
      />
      <Card className="mb-6 p-4">
        <AddRuleForm repositories={repositories} />
      </Card>
      <RuleGroup title="All repositories" rules={workspace} />
      {[...byRepository.entries()].map(([id, group]) => (
        <RuleGroup key={id} title={group.name} href={`/repositories/${id}`} rules={group.rules} />
      ))}
      {workspace.length === 0 && byRepository.size === 0 ? (
        <EmptyState title="No ownership rules yet">Import a repository with a CODEOWNERS file, or add a rule above.</EmptyState>
      ) : null}
      <p className="mt-6 text-sm text-slate-600">
        Specs no rule owns are listed under{" "}
        <Link href="/specs?owner=unowned" className="text-sky-700 underline">
          unowned specs
        </Link>
        ; their changes need one approval from any reviewer.
      </p>
    </>
  );
}

function RuleGroup({ title, href, rules }: { title: string; href?: string; rules: Rule[] }) {
  if (rules.length === 0) return null;
  return (
    <Card className="mb-4">
      <h2 className="border-b border-slate-100 px-4 py-3 font-medium">
        {href ? (
          <Link href={href} className="text-sky-700 hover:underline">
            {title}
          </Link>
        ) : (
          title
        )}
      </h2>
      <ol className="divide-y divide-slate-100">
        {rules.map((rule) => (
          <li key={rule.id} className="space-y-2 px-4 py-3" data-testid="ownership-rule">
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <code className="font-mono font-medium">{rule.pattern}</code>
              <span className="text-slate-600">{rule.owners.length > 0 ? rule.owners.join(" ") : <em>no owners (clears ownership)</em>}</span>
              <Badge tone={rule.source === "manual" ? "violet" : "gray"}>
                {rule.source === "manual" ? "added here" : `from ${rule.source.replace(/^codeowners:/, "")}`}
              </Badge>
              <span className="text-xs text-slate-500">decides {plural(rule._count.specs, "spec")}</span>
            </div>
            <RuleForm rule={rule} />
          </li>
        ))}
      </ol>
    </Card>
  );
}

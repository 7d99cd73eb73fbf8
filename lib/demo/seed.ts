import fs from "node:fs";
import path from "node:path";
import { db } from "@/lib/db";
import { hashPassword } from "@/lib/auth/password";
import { dataDir } from "@/lib/paths";
import { SYSTEM_VIEWER, runImport } from "@/lib/repositories";
import { addRepositoryHere, requestImportHere } from "@/lib/operations/repositories";
import { recomputeFindings } from "@/lib/findings/store";
import { describeImportCounts } from "@/lib/specs/import-summary";
import { buildDemoRepos, demoRepositoryNames, type DemoRepo, type DemoStage } from "./demo-repos";
import { seedDemoLaterReviews, seedDemoProvenance } from "./provenance";
import { seedDemoChecks } from "./checks";
import { seedDemoReviews } from "./reviews";

export const DEMO_ADMIN = {
  email: process.env.SPECLEDGER_ADMIN_EMAIL ?? "admin@specledger.local",
  password: process.env.SPECLEDGER_ADMIN_PASSWORD ?? "specledger-demo",
  name: "Ada Admin",
};

const DEMO_USERS = [
  { email: "maya.maintainer@specledger.local", name: "Maya Maintainer", role: "maintainer" as const, handle: "maya" },
  { email: "rui.reviewer@specledger.local", name: "Rui Reviewer", role: "reviewer" as const, handle: "rui" },
  { email: "vic.viewer@specledger.local", name: "Vic Viewer", role: "viewer" as const, handle: "vic" },
  // Named in the demo repositories' CODEOWNERS by handle, and authors of their commits.
  { email: "dana.whitfield@acme.example", name: "Dana Whitfield", role: "reviewer" as const, handle: "dana" },
  { email: "tomas.ortega@acme.example", name: "Tomás Ortega", role: "maintainer" as const, handle: "tomas-ortega" },
];

/**
 * Seeds the demo workspace: an admin (the first user), a few colleagues, and real git
 * repositories imported with their history. Safe to run on every start: existing users
 * are kept and re-imports of unchanged repositories change nothing.
 *
 * The first time, the repositories are imported as they were at the demo's first import;
 * approvals, runs and deployments are recorded against that; then the commits pushed since
 * are imported, as a re-scan would, so approved versions and deployed builds fall behind.
 */
export async function seedDemoWorkspace(opts: { log?: (message: string) => void } = {}) {
  const log = opts.log ?? (() => {});
  const passwordHash = await hashPassword(DEMO_ADMIN.password);
  await db.user.upsert({
    where: { email: DEMO_ADMIN.email },
    update: {},
    create: { email: DEMO_ADMIN.email, name: DEMO_ADMIN.name, role: "admin", passwordHash },
  });
  for (const user of DEMO_USERS) {
    await db.user.upsert({ where: { email: user.email }, update: { handle: user.handle }, create: { ...user, passwordHash } });
  }

  // Teams as the demo repositories' CODEOWNERS files name them.
  const demoTeams = [
    { slug: "@acme/platform", name: "Platform", members: [DEMO_ADMIN.email, "maya.maintainer@specledger.local"] },
    { slug: "@acme/payments", name: "Payments", members: ["rui.reviewer@specledger.local", "maya.maintainer@specledger.local", "dana.whitfield@acme.example"] },
    { slug: "@acme/orders", name: "Orders", members: ["tomas.ortega@acme.example"] },
  ];
  for (const team of demoTeams) {
    const record = await db.team.upsert({ where: { slug: team.slug }, update: {}, create: { slug: team.slug, name: team.name } });
    const members = await db.user.findMany({ where: { email: { in: team.members } }, select: { id: true } });
    await db.teamMember.createMany({ data: members.map((m) => ({ teamId: record.id, userId: m.id })), skipDuplicates: true });
  }

  const dir = path.join(dataDir(), "demo-repos");
  const importStage = async (stage: DemoStage) => {
    const repos = await buildDemoRepos({ dir, stage, onProgress: log });
    for (const repo of repos) await importDemoRepo(repo, log);
  };
  const sources = demoRepositoryNames().map((name) => path.join(dir, name));
  const keys = sources.filter((s) => fs.existsSync(s)).map((s) => fs.realpathSync(s));
  if ((await db.repository.count({ where: { OR: [{ source: { in: sources } }, { sourceKey: { in: keys } }] } })) === 0) {
    await importStage("first-import");
    await seedDemoProvenance({ log });
  }
  await importStage("latest");
  // Proposals are written against the latest contents, so the later commits supersede none.
  await seedDemoReviews({ log });
  // Each runs once, so a workspace seeded before these steps existed gets them too.
  await seedDemoProvenance({ log });
  await seedDemoLaterReviews({ log });
  try {
    const findings = await recomputeFindings();
    log(`findings: ${findings.found} current (${findings.opened} new, ${findings.resolved} resolved)`);
  } catch (error) {
    // The workspace is usable without them; the server's hourly sweep computes them again.
    console.error("[findings] could not compute the demo's findings", error);
  }
  // After the findings: a spec already reported stale is not the pull request's drift.
  try {
    await seedDemoChecks({ log });
  } catch (error) {
    // Like the findings: the workspace is whole without them.
    console.error("[checks] could not make the demo's pull-request checks", error);
  }
}

async function importDemoRepo(repo: DemoRepo, log: (message: string) => void) {
  // The seed runs on the operator's machine: its own demo folders are read in place, whatever SPECLEDGER_LOCAL_ROOTS says.
  const existing = await db.repository.findUnique({ where: { sourceKey: fs.realpathSync(repo.path) }, select: { id: true } });
  const record = existing
    ? await requestImportHere(SYSTEM_VIEWER, { repositoryId: existing.id })
    : (await addRepositoryHere(SYSTEM_VIEWER, { source: repo.path, name: repo.name })).import;
  if (record.status !== "queued") return; // a server worker already has it
  const result = await runImport({ importId: record.id, findings: "skip" });
  if (result.status === "failed") throw new Error(`Importing ${repo.name} failed: ${result.error}`);
  log(`${repo.name}: ${describeImportCounts(result)}`);
}

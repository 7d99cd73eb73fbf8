// The layers (docs/decisions/016-operation-layer.md), each importing only those below it:
//   base: lib/db, lib/git, lib/errors, lib/schema, lib/text, lib/paths, lib/jobs, lib/crypto, lib/contracts,
//         lib/auth/permissions (the permission table)
//   lib/audit → lib/auth (sessions, sign-in) → domain (lib/notifications → lib/specs → lib/reviews → lib/ownership →
//   lib/instructions → lib/findings → lib/requirements → lib/runs → lib/deployments → lib/tokens, lib/teams → lib/repositories →
//   lib/dashboard, lib/inbox) → lib/operations → lib/http and lib/actions → app/ and components/.
// Tests, benchmarks, the demo, the CLI and scripts sit on top and may import anything.
const TOP = "(^app/|^components/|^lib/(operations|http|actions|cli|bench|demo|testing)/|^scripts/|^e2e/|\\.test\\.tsx?$)";

/** `from` may not import any of `to`. */
const forbid = (name, from, to, comment) => ({
  name,
  comment,
  severity: "error",
  from: { path: from, pathNot: "\\.test\\.tsx?$" },
  to: { path: to },
});

module.exports = {
  forbidden: [
    forbid(
      "base-imports-nothing-above",
      "^lib/(db|git|errors\\.ts|schema\\.ts|streams\\.ts|text\\.ts|paths\\.ts|jobs|crypto|contracts)",
      `^lib/(audit|auth/(?!permissions)|notifications|specs|reviews|ownership|instructions|findings|runs|deployments|tokens|teams|repositories|dashboard|inbox)|${TOP}`,
      "The base knows no domain.",
    ),
    forbid("permissions-table-is-base", "^lib/auth/permissions\\.ts$", "^lib/(?!db|errors)", "The permission table depends on nothing but roles and errors."),
    forbid(
      "audit-below-auth",
      "^lib/audit/",
      `^lib/(auth/(?!permissions)|notifications|specs|reviews|ownership|instructions|findings|runs|deployments|tokens|teams|repositories|dashboard|inbox)|${TOP}`,
      "The audit log is below sign-in and the domain.",
    ),
    forbid(
      "auth-below-domain",
      "^lib/auth/",
      `^lib/(notifications|specs|reviews|ownership|instructions|findings|runs|deployments|teams|repositories|dashboard|inbox)|${TOP}`,
      "Sessions and permissions know no domain (tokens are authenticated through lib/tokens, which auth may use).",
    ),
    forbid(
      "notifications-below-the-domain",
      "^lib/notifications/",
      `^lib/(requirements|specs|reviews|ownership|instructions|findings|runs|deployments|tokens|teams|repositories|dashboard|inbox)|${TOP}`,
      "Every domain module emits notifications, so they know none of them.",
    ),
    forbid(
      "specs-below-the-rest",
      "^lib/specs/",
      `^lib/(requirements|reviews|ownership|instructions|findings|runs|deployments|tokens|teams|repositories|dashboard|inbox)|${TOP}`,
      "Specs are the domain's base.",
    ),
    forbid(
      "reviews-below-ownership",
      "^lib/reviews/",
      `^lib/(requirements|ownership|instructions|findings|runs|deployments|tokens|teams|repositories|dashboard|inbox)|${TOP}`,
      "",
    ),
    forbid(
      "ownership-below-findings",
      "^lib/ownership/",
      `^lib/(requirements|instructions|findings|runs|deployments|tokens|teams|repositories|dashboard|inbox)|${TOP}`,
      "",
    ),
    forbid(
      "instructions-below-findings",
      "^lib/instructions/",
      `^lib/(requirements|findings|runs|deployments|tokens|teams|repositories|dashboard|inbox)|${TOP}`,
      "",
    ),
    forbid("findings-below-provenance", "^lib/findings/", `^lib/(requirements|runs|deployments|tokens|teams|repositories|dashboard|inbox)|${TOP}`, ""),
    forbid("requirements-below-runs", "^lib/requirements/", `^lib/(runs|deployments|tokens|teams|repositories|dashboard|inbox)|${TOP}`, ""),
    forbid("runs-below-deployments", "^lib/runs/", `^lib/(deployments|tokens|teams|repositories|dashboard|inbox)|${TOP}`, ""),
    forbid("deployments-below-repositories", "^lib/deployments/", `^lib/(tokens|teams|repositories|dashboard|inbox)|${TOP}`, ""),
    forbid("people-below-repositories", "^lib/(tokens|teams)/", `^lib/(repositories|dashboard|inbox)|${TOP}`, ""),
    forbid("repositories-below-dashboard", "^lib/repositories/", `^lib/(dashboard|inbox)|${TOP}`, ""),
    forbid("dashboard-below-operations", "^lib/(dashboard|inbox)/", TOP, ""),
    forbid("operations-below-http", "^lib/operations/", "^(app/|components/|lib/(http|actions|cli|bench|demo)/)", "Operations know no HTTP, forms or routes."),
    forbid("http-below-app", "^lib/(http|actions)/", "^(app/|components/)", "Route wrappers and server actions are below the pages that use them."),
    forbid("components-below-app", "^components/", "^app/", "Components never import routes."),
    { name: "no-circular", severity: "error", from: { pathNot: "\\.test\\.tsx?$" }, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^node_modules|^\\.next|^lib/db/generated|^\\.data)" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: [".ts", ".tsx", ".js", ".mjs"] },
  },
};

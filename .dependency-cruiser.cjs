// The layers (docs/decisions/016-operation-layer.md), each importing only those below it:
//   base: lib/db, lib/git, lib/errors, lib/schema, lib/text, lib/paths, lib/jobs, lib/crypto, lib/contracts,
//         lib/auth/permissions (the permission table)
//   lib/audit → lib/auth (sessions, sign-in) → domain (lib/notifications → lib/specs → lib/reviews → lib/ownership →
//   lib/instructions → lib/findings → lib/requirements → lib/runs → lib/deployments → lib/tokens, lib/teams → lib/repositories →
//   lib/checks, lib/webhooks → lib/dashboard, lib/inbox) → lib/operations → lib/http and lib/actions → app/ and components/.
// Tests, benchmarks, the demo, the CLI and scripts sit on top and may import anything.
const TOP = "(^app/|^components/|^lib/(operations|http|actions|cli|bench|demo|testing)/|^scripts/|^e2e/|\\.test\\.tsx?$)";

// The domain, lowest first: each module may import those before it, never those after.
const DOMAIN = [
  "notifications",
  "specs",
  "reviews",
  "ownership",
  "instructions",
  "findings",
  "requirements",
  "runs",
  "deployments",
  "tokens|teams",
  "repositories",
  "checks|webhooks",
  "dashboard|inbox",
];
const BASE = "db|git|errors\\.ts|schema\\.ts|streams\\.ts|text\\.ts|paths\\.ts|jobs|crypto|contracts";
const domain = (layers) => layers.flatMap((layer) => layer.split("|")).join("|");
/** The domain layers above `layer`, and everything on top. */
const above = (layer) => {
  const higher = domain(DOMAIN.slice(DOMAIN.indexOf(layer) + 1));
  return higher ? `^lib/(${higher})/|${TOP}` : TOP;
};

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
    forbid("base-imports-nothing-above", `^lib/(${BASE})`, `^lib/(audit/|auth/(?!permissions)|(${domain(DOMAIN)})/)|${TOP}`, "The base knows no domain."),
    forbid("permissions-table-is-base", "^lib/auth/permissions\\.ts$", "^lib/(?!db|errors)", "The permission table depends on nothing but roles and errors."),
    forbid("audit-below-auth", "^lib/audit/", `^lib/(auth/(?!permissions)|(${domain(DOMAIN)})/)|${TOP}`, "The audit log is below sign-in and the domain."),
    forbid(
      "auth-below-domain",
      "^lib/auth/",
      `^lib/(${domain(DOMAIN.filter((layer) => layer !== "tokens|teams"))}|teams)/|${TOP}`,
      "Sessions and permissions know no domain (tokens are authenticated through lib/tokens, which auth may use).",
    ),
    ...DOMAIN.map((layer, i) =>
      forbid(`${layer.replace("|", "-")}-below-${(DOMAIN[i + 1] ?? "operations").replace("|", "-")}`, `^lib/(${layer})/`, above(layer), ""),
    ),
    {
      name: "every-lib-module-has-a-layer",
      comment: "A folder added to lib/ must be placed in the order above, or nothing stops it importing upward.",
      severity: "error",
      from: { path: "^lib/", pathNot: `^lib/(${BASE}|audit|auth|${domain(DOMAIN)}|operations|http|actions|cli|bench|demo|testing)(/|$)|\\.test\\.tsx?$` },
      to: {},
    },
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

// Finding types and labels, apart from the checks so pages can import them without git.

export type FindingType =
  | "unreviewed"
  | "stale"
  | "broken-reference"
  | "competing-instructions"
  | "effective-instructions"
  | "requirement-oracle"
  | "deployed-stale"
  | "duplicate"
  | "lint"
  | "budget";
export type FindingSeverity = "error" | "warning" | "info";

/** Types computed per repository; the others span the workspace. */
export const REPOSITORY_TYPES: readonly FindingType[] = [
  "unreviewed",
  "stale",
  "broken-reference",
  "competing-instructions",
  "effective-instructions",
  "requirement-oracle",
  "lint",
];
export const WORKSPACE_TYPES: readonly FindingType[] = ["duplicate", "deployed-stale"];

export const TYPE_LABELS: Record<FindingType, string> = {
  unreviewed: "Unreviewed",
  stale: "Stale",
  "broken-reference": "Broken reference",
  "competing-instructions": "Competing instructions",
  "effective-instructions": "Effective instructions",
  "requirement-oracle": "Requirement without oracle",
  "deployed-stale": "Deployed stale",
  duplicate: "Duplicate",
  lint: "Lint",
  budget: "Budget",
};

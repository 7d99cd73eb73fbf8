import { describe, expect, it } from "vitest";
import { payloadDifferences, type RunPayload, type StoredRun } from "./payload";

const report: RunPayload = {
  agent: "codex",
  model: "gpt-5",
  repository: "shop",
  commit: "abcdef1",
  startedAt: "2026-11-24T10:00:00Z",
  finishedAt: "2026-11-24T11:00:00+01:00",
  inputTokens: 12000,
  costUsd: 0.42,
  outcome: "succeeded",
  links: [{ label: "CI", url: "https://ci.example/1" }],
  specs: [{ contentHash: "a".repeat(64) }, { repository: "shop", path: "./specs/a.md", commit: "abcdef1" }],
  instructions: [],
};

const stored: StoredRun = {
  agent: "codex",
  model: "gpt-5",
  repositoryName: "shop",
  commitSha: "abcdef1",
  branch: null,
  startedAt: new Date("2026-11-24T10:00:00Z"),
  finishedAt: new Date("2026-11-24T10:00:00Z"),
  inputTokens: "12000",
  outputTokens: null,
  costUsd: "0.420000",
  outcome: "succeeded",
  links: [{ url: "https://ci.example/1", label: "CI" }],
  refs: [
    { kind: "spec", contentHash: "a".repeat(64), repositoryName: null, path: null, commitSha: null },
    { kind: "spec", contentHash: null, repositoryName: "shop", path: "specs/a.md", commitSha: "abcdef1" },
  ],
};

describe("payloadDifferences", () => {
  it("finds none for the same report, whatever the storage did to numbers, times, key order and paths", () => {
    expect(payloadDifferences(report, stored)).toEqual([]);
  });

  it.each([
    ["agent", { agent: "claude-code" }],
    ["model", { model: undefined }],
    ["costUsd", { costUsd: 0.43 }],
    ["inputTokens", { inputTokens: 12001 }],
    ["startedAt", { startedAt: "2026-11-24T10:00:01Z" }],
    ["links", { links: [] }],
    ["specs", { specs: [...report.specs].reverse() }],
    ["instructions", { instructions: [{ contentHash: "b".repeat(64) }] }],
  ] as const)("names %s when it differs", (field, change) => {
    expect(payloadDifferences({ ...report, ...change } as RunPayload, stored)).toEqual([field]);
  });

  it("names every differing field", () => {
    expect(payloadDifferences({ ...report, agent: "kiro", outcome: "failed", branch: "main" }, stored)).toEqual(["agent", "branch", "outcome"]);
  });
});

// The contract check is not a no-op: wrong answers are caught, by the checker and by the
// observer every test file runs with (lib/testing/contract-setup.ts).
import { describe, expect, it } from "vitest";
import { contractViolations, templateOf } from "@/lib/testing/api-contract";
import { callRoute, userWithToken } from "@/lib/testing/api";

const json = "application/json";
const spec = {
  id: "s1",
  path: "specs/a.md",
  kind: "spec",
  deleted: false,
  deletedInCommit: null,
  repository: { id: "r1", name: "r", defaultBranch: "main" },
  feature: null,
  currentHash: "a".repeat(64),
  versions: [],
};
const answer = (pathname: string, status: number, body: unknown, contentType = json, method = "GET") => ({
  method,
  pathname,
  status,
  contentType,
  body: JSON.stringify(body),
});

describe("the contract checker", () => {
  it("maps request paths to the document's templates, literal segments first", () => {
    expect(templateOf("GET", "/api/v1/specs/abc")).toBe("/specs/{id}");
    expect(templateOf("POST", "/api/v1/runs/batch")).toBe("/runs/batch");
    expect(templateOf("GET", "/api/v1/runs/batch")).toBe("/runs/{id}");
    expect(templateOf("GET", "/api/v1/nothing")).toBeNull();
  });

  it("accepts an answer that matches", () => {
    expect(contractViolations(answer("/api/v1/specs/s1", 200, spec))).toEqual([]);
    expect(contractViolations(answer("/api/v1/specs/s1", 404, { error: { code: "not_found", message: "Spec not found" } }))).toEqual([]);
  });

  it.each([
    ["a missing field", answer("/api/v1/specs/s1", 200, { ...spec, path: undefined }), /must have required property 'path'/],
    ["a field of the wrong type", answer("/api/v1/specs/s1", 200, { ...spec, deleted: "no" }), /\/deleted must be boolean/],
    ["a field the document does not list", answer("/api/v1/specs/s1", 200, { ...spec, gitDir: "/srv/git" }), /additional properties/],
    ["an undeclared status", answer("/api/v1/specs/s1", 418, {}), /status 418 is not declared/],
    ["an undeclared content type", answer("/api/v1/specs/s1", 200, spec, "text/html"), /content type text\/html is not declared/],
    ["an error body of another shape", answer("/api/v1/specs/s1", 404, { message: "nope" }), /must have required property 'error'/],
    ["an unknown error code", answer("/api/v1/specs/s1", 404, { error: { code: "oops", message: "x" } }), /must be equal to one of the allowed values/],
    ["a path that is not documented", answer("/api/v1/secret", 200, {}), /not in the API document/],
    [
      "a time without a zone",
      answer("/api/v1/deployments", 200, {
        deployments: [
          { id: "d", service: "s", environment: "e", version: "1", commit: null, deployedAt: "2026-11-24T10:00:00", live: true, runs: 0, specRefs: 0 },
        ],
      }),
      /date-time/,
    ],
  ])("catches %s", (_, wrong, message) => {
    const violations = contractViolations(wrong);
    expect(violations.length).toBeGreaterThan(0);
    expect(violations.join("\n")).toMatch(message);
  });
});

describe("the observer every test file runs with", () => {
  const record = () => (globalThis as Record<symbol, { seen: number; violations: string[]; pending: Promise<void>[] }>)[Symbol.for("specledger.contract")];
  const observe = (globalThis as Record<symbol, (request: Request, response: Response) => void>)[Symbol.for("specledger.responseObserver")];

  it("sees the answers of route handlers", async () => {
    const before = record().seen;
    const { token } = await userWithToken("viewer", ["specs:read"]);
    expect((await callRoute("GET", "/me", { token })).status).toBe(200);
    await Promise.all(record().pending);
    expect(record().seen).toBe(before + 1);
    expect(record().violations).toEqual([]);
  });

  it("records a deliberately wrong answer as a violation (which would fail the file)", async () => {
    observe(new Request("http://localhost/api/v1/me"), new Response(JSON.stringify({ id: 1 }), { status: 200, headers: { "content-type": json } }));
    await Promise.all(record().pending);
    const caught = record().violations.splice(0);
    expect(caught.join("\n")).toMatch(/GET \/api\/v1\/me → 200: \/id must be string/);
  });
});

// Vitest setup (every test file): each answer a route handler gives is checked against the
// OpenAPI document, and the file fails if one did not match. The checker is loaded on the
// first answer, so unit tests pay nothing and test files' vi.mock calls apply to it.
import { afterAll, expect } from "vitest";

const OBSERVER = Symbol.for("specledger.responseObserver");
/** The record of this file's answers, readable by lib/http/contract.test.ts. */
export const CONTRACT = Symbol.for("specledger.contract");
const record = { seen: 0, violations: [] as string[], pending: [] as Promise<void>[] };
(globalThis as Record<symbol, unknown>)[CONTRACT] = record;

(globalThis as Record<symbol, unknown>)[OBSERVER] = (request: Request, response: Response) => {
  const { pathname } = new URL(request.url);
  // Requests a test builds with a placeholder URL cannot be matched to a route; real ones are under /api/.
  if (!pathname.startsWith("/api/")) return;
  record.pending.push(
    (async () => {
      const [{ contractViolations }, body] = await Promise.all([import("./api-contract"), response.text()]);
      record.seen += 1;
      record.violations.push(
        ...contractViolations({ method: request.method, pathname, status: response.status, contentType: response.headers.get("content-type"), body }),
      );
    })(),
  );
};

afterAll(async () => {
  await Promise.all(record.pending);
  expect(record.violations.slice(0, 5), "answers that do not match the OpenAPI document (lib/http/openapi.ts)").toEqual([]);
});

import { NextResponse } from "next/server";
import { idempotencyKeyOf, requestFingerprint } from "@/lib/http/idempotency";
import { readJson, withUser } from "@/lib/http/route";
import { batchSchema, reportRuns } from "@/lib/runs";

/** Reports up to 1,000 runs in one transaction: { runs: [...] }. */
export const POST = withUser("runs:write", async ({ request, user }) => {
  const key = idempotencyKeyOf(request);
  const raw = await readJson(request);
  const { runs } = batchSchema.parse(raw);
  const result = await reportRuns({ viewer: user, runs, single: false, idempotencyKey: key, fingerprint: requestFingerprint(raw) });
  return NextResponse.json(result.body, { status: result.status });
});

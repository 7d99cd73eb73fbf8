import { withUser } from "@/lib/http/route";
import { exportAuditJsonLines } from "@/lib/audit/browse";
import { auditQuerySchema } from "@/lib/audit/browse-query";

/** Admins: the audit events matching the filters, oldest first, one JSON object per line, streamed. */
export const GET = withUser("audit:read", async ({ user, query }) => {
  const filters = auditQuerySchema.parse(query);
  const lines = exportAuditJsonLines(user, filters);
  // The first batch is read before answering, so a database failure is an error status, not a cut-off 200.
  const first = await lines.next();
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (!first.done) controller.enqueue(encoder.encode(first.value));
    },
    async pull(controller) {
      if (first.done) return controller.close();
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "application/jsonl; charset=utf-8",
      "content-disposition": `attachment; filename="specledger-audit-${new Date().toISOString().slice(0, 10)}.jsonl"`,
    },
  });
});

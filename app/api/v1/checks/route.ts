import { MAX_CHECK_BODY_BYTES } from "@/lib/checks/schema";
import { handle } from "@/lib/http/route";
import { runCheck } from "@/lib/operations/checks";

/** specledger check: the PR's governed files in, the verdict per file out (stored as a Check). */
export const POST = handle(runCheck, { status: 201, maxBodyBytes: MAX_CHECK_BODY_BYTES });

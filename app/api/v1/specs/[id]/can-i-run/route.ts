import { withUser } from "@/lib/http/route";
import { canIRun } from "@/lib/runs/budgets";

/** May agents start work on this spec? No when a budget of it is spent for the period, with the figures. {id} may be <repository>:<path>. */
export const GET = withUser<{ id: string }>("runs:read", async ({ user, params }) => canIRun(user, params.id));

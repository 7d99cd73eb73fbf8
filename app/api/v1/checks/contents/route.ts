import { knownContents } from "@/lib/checks/run";
import { readJson, withUser } from "@/lib/http/route";

/** specledger check asks which texts the server holds, and sends only the others (decision 022). */
export const POST = withUser("checks:write", async ({ request, user }) => knownContents(user, await readJson(request)));

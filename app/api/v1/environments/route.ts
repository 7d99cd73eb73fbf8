import { listEnvironments } from "@/lib/deployments";
import { withUser } from "@/lib/http/route";

/** What is live where. */
export const GET = withUser("deployments:read", async ({ user }) => ({
  environments: (await listEnvironments(user)).map((e) => ({
    name: e.name,
    allowUnreviewed: e.allowUnreviewed,
    live: e.deployments.map((d) => ({ id: d.id, service: d.service, version: d.version, deployedAt: d.deployedAt, alongside: d.alongside })),
  })),
}));

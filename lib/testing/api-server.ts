import http from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";

// The API's route handlers served by a plain node:http server: the same handlers `next
// start` runs, without a build. The multi-node test runs one of these per child process;
// the load script runs one in its own process.

type Handler = (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type RouteModule = Partial<Record<"GET" | "POST", Handler>>;

/** The API routes these servers answer: path pattern ([name] is a parameter) and module. */
async function routeTable(): Promise<[RegExp, string[], RouteModule][]> {
  const table: [string, unknown][] = [
    ["/api/v1/me", await import("@/app/api/v1/me/route")],
    ["/api/v1/repositories", await import("@/app/api/v1/repositories/route")],
    ["/api/v1/repositories/[id]", await import("@/app/api/v1/repositories/[id]/route")],
    ["/api/v1/repositories/[id]/imports", await import("@/app/api/v1/repositories/[id]/imports/route")],
    ["/api/v1/imports/[id]", await import("@/app/api/v1/imports/[id]/route")],
    ["/api/v1/changes", await import("@/app/api/v1/changes/route")],
    ["/api/v1/changes/[number]", await import("@/app/api/v1/changes/[number]/route")],
    ["/api/v1/changes/[number]/decisions", await import("@/app/api/v1/changes/[number]/decisions/route")],
    ["/api/v1/deployments", await import("@/app/api/v1/deployments/route")],
    ["/api/v1/deployments/[id]", await import("@/app/api/v1/deployments/[id]/route")],
  ];
  return table.map(([pattern, module]) => {
    const names = [...pattern.matchAll(/\[(\w+)\]/g)].map((m) => m[1]);
    return [new RegExp(`^${pattern.replace(/\[\w+\]/g, "([^/]+)")}$`), names, module as RouteModule];
  });
}

/** Starts serving on 127.0.0.1 (a free port unless given); resolves with its URL. */
export async function serveApi(opts: { port?: number } = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const routes = await routeTable();
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url!, "http://127.0.0.1");
      const route = routes.find(([pattern]) => pattern.test(url.pathname));
      const handler = route?.[2][req.method as "GET" | "POST"];
      if (!route || !handler) return void res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"code":"not_found"}}');
      const values = route[0].exec(url.pathname)!.slice(1).map(decodeURIComponent);
      const params = Object.fromEntries(route[1].map((name, i) => [name, values[i]]));
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const request = new NextRequest(url, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      });
      const response = await handler(request, { params: Promise.resolve(params) });
      res
        .writeHead(response.status, { "content-type": response.headers.get("content-type") ?? "application/json" })
        .end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      console.error("[api-server]", error);
      if (!res.headersSent) res.writeHead(500).end();
    }
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

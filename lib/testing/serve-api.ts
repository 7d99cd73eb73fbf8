// Serves real route handlers over node:http in the test process, so the real CLI (a child
// process) talks to the real API. Routes are given as [pattern with named groups, module].
import http from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";

type Module = Record<string, unknown>;

export async function serveRoutes(routes: [RegExp, Module][]): Promise<{ url: string; close: () => void }> {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url!, "http://localhost");
    const match = routes.map(([pattern, module]) => [pattern.exec(url.pathname), module] as const).find(([m]) => m);
    const handler = match?.[1][req.method!] as ((r: NextRequest, c: { params: Promise<object> }) => Promise<Response>) | undefined;
    if (!handler) return void res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"no route"}}');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = new NextRequest(url, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    const response = await handler(request, { params: Promise.resolve({ ...match![0]!.groups }) });
    res.writeHead(response.status, Object.fromEntries(response.headers)).end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

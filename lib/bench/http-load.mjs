// A load generator for the benchmarks, run in a worker thread so that the clients do not
// share an event loop with the server they measure. workerData: { url, token, requests:
// [{ method, path, body? }], concurrency }; posts back { elapsed, latencies, statuses }.
import http from "node:http";
import { parentPort, workerData } from "node:worker_threads";

const { url, token, requests, concurrency } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const latencies = new Array(requests.length);
const statuses = {};

function send({ method, path, body }) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? null : Buffer.from(JSON.stringify(body));
    const headers = { authorization: `Bearer ${token}` };
    if (data) Object.assign(headers, { "content-type": "application/json", "content-length": data.length });
    const req = http.request(`${url}${path}`, { method, agent, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
    });
    req.on("error", reject);
    req.end(data ?? undefined);
  });
}

let next = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < requests.length) {
      const i = next++;
      const t = performance.now();
      const status = await send(requests[i]);
      latencies[i] = performance.now() - t;
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }),
);
agent.destroy();
parentPort.postMessage({ elapsed: performance.now() - started, latencies, statuses });

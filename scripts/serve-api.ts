// One stateless web node for the multi-node test: the API route handlers over node:http,
// with no worker (SPECLEDGER_WORKER=0 is what `next start` would run with). Prints its URL.
import { serveApi } from "@/lib/testing/api-server";

const server = await serveApi({ port: Number(process.env.PORT ?? 0) });
process.stdout.write(`listening ${server.url}\n`);
const stop = () => void server.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

// `npm run typecheck`: installs what is missing and generates the Prisma client (both
// absent from a fresh clone), then runs the TypeScript compiler without emitting.
import path from "node:path";
import { ensureDependencies, ensurePrismaClient, root, run } from "./lib/setup.mjs";

ensureDependencies();
ensurePrismaClient();
try {
  run(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", root]);
} catch {
  process.exit(1);
}

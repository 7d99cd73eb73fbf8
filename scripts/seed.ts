// Seeds the demo workspace (npm start and npm test run this after migrations).
import { db } from "@/lib/db";
import { seedDemoWorkspace } from "@/lib/demo/seed";
import { stopQueue } from "@/lib/jobs/queue";

try {
  await seedDemoWorkspace({ log: (m) => console.log(`  ${m}`) });
} finally {
  // Decisions and deployments queue findings jobs after they commit: the queue's timers would keep this process alive.
  await stopQueue();
  await db.$disconnect();
}

// Seeds the demo workspace (npm start and npm test run this after migrations).
import { db } from "@/lib/db";
import { seedDemoWorkspace } from "@/lib/demo/seed";

try {
  await seedDemoWorkspace({ log: (m) => console.log(`  ${m}`) });
} finally {
  await db.$disconnect();
}

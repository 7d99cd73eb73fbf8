import { lastGreenPolicySchema } from "@/lib/runs/last-green";
import { setLastGreenPolicy as set } from "@/lib/runs/green";
import { operation } from "./operation";

/** Sets how many succeeded runs make a spec version green (workspace-wide, admins). */
export const setLastGreenPolicy = operation({
  name: "runs.set-last-green-policy",
  summary: "Set how many succeeded runs make a spec version the last green one",
  input: lastGreenPolicySchema,
  output: lastGreenPolicySchema,
  permission: "policies:manage",
  run: ({ tx, viewer, input }) => set(tx, viewer, input),
});

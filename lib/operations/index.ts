import * as budgets from "./budgets";
import * as checks from "./checks";
import * as findings from "./findings";
import * as green from "./green";
import * as inbox from "./inbox";
import * as notifications from "./notifications";
import type { Operation } from "./operation";
import * as provenance from "./provenance";
import * as repositories from "./repositories";
import * as reviews from "./reviews";
import * as waivers from "./waivers";
import * as webhooks from "./webhooks";
import * as workspace from "./workspace";

export { operation, type Operation, type Viewer } from "./operation";

const isOperation = (value: unknown): value is Operation => typeof value === "function" && (value as { kind?: string }).kind === "operation";

/** Every write Specledger has, one declaration each: the permission matrix test and the API document read this. */
export const OPERATIONS: Operation[] = [
  budgets,
  checks,
  findings,
  green,
  inbox,
  notifications,
  provenance,
  repositories,
  reviews,
  waivers,
  webhooks,
  workspace,
].flatMap((module) => Object.values(module).filter(isOperation));

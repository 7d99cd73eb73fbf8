import { handle } from "@/lib/http/route";
import { setFindingStatus } from "@/lib/operations/findings";

/** Acknowledges, dismisses or reopens findings; answers how many changed (others were not in a state the action applies to). */
export const POST = handle(setFindingStatus);

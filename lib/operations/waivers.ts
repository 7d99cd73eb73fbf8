import { createWaiver as create, revokeWaiver as revoke, revokeWaiverInput, waiverInput, waiverView } from "@/lib/deployments/waivers";
import { operation } from "./operation";

/** Records a break-glass waiver: can-i-deploy says yes for one version in one environment until it expires (admins). */
export const createWaiver = operation({
  name: "waivers.create",
  summary: "Record a break-glass waiver for one version of a service in one environment",
  input: waiverInput,
  output: waiverView,
  permission: "gate:waive",
  run: ({ tx, viewer, input }) => create(tx, viewer, input),
});

/** Revokes an active waiver: the gate answers as if it had never been recorded. */
export const revokeWaiver = operation({
  name: "waivers.revoke",
  summary: "Revoke a waiver",
  input: revokeWaiverInput,
  output: waiverView,
  permission: "gate:waive",
  run: ({ tx, viewer, input }) => revoke(tx, viewer, input),
});

import {
  createTeam as create,
  createTeamInput,
  addTeamMember as addMember,
  teamMemberInput,
  removeTeamMember as removeMember,
  removeTeamMemberInput,
  setUserHandle as setHandle,
  setUserHandleInput,
  setUserRole as setRole,
  setUserRoleInput,
  teamView,
  userView,
} from "@/lib/teams";
import {
  addOwnershipRule as addRule,
  addRuleInput,
  removeOwnershipRule as removeRule,
  removeRuleInput,
  ruleRef,
  updateOwnershipRule as updateRule,
  updateRuleInput,
} from "@/lib/ownership/rules";
import { createdToken, createToken as create_, createTokenSchema, forgetTokens, revokedToken, revokeToken as revoke, revokeTokenInput } from "@/lib/tokens";
import { confirmEmail as confirm, emailIdInput, linkedEmail, linkEmail as link, linkEmailInput, unlinkEmail as unlink } from "@/lib/teams/emails";
import { z } from "zod";
import { operation } from "./operation";

// Teams and people, ownership rules and review policies, API tokens: the workspace's settings.

export const createTeam = operation({
  name: "teams.create",
  summary: "Create a team named as CODEOWNERS names it (@org/team)",
  input: createTeamInput,
  output: teamView,
  permission: "teams:manage",
  run: ({ tx, input }) => create(tx, input),
});

export const addTeamMember = operation({
  name: "teams.add-member",
  summary: "Add a user to a team by email",
  input: teamMemberInput,
  output: z.object({ teamId: z.string(), userId: z.string() }),
  permission: "teams:manage",
  run: ({ tx, input }) => addMember(tx, input),
});

export const removeTeamMember = operation({
  name: "teams.remove-member",
  summary: "Remove a user from a team",
  input: removeTeamMemberInput,
  output: z.object({ teamId: z.string(), userId: z.string() }),
  permission: "teams:manage",
  run: ({ tx, input }) => removeMember(tx, input),
});

export const setUserRole = operation({
  name: "users.set-role",
  summary: "Change a user's role (the workspace keeps at least one admin)",
  input: setUserRoleInput,
  output: userView,
  permission: "users:manage",
  run: ({ tx, input }) => setRole(tx, input),
  // Tokens carry their owner's role: this process forgets the ones it remembers.
  after: () => [Promise.resolve(forgetTokens())],
});

export const setUserHandle = operation({
  name: "users.set-handle",
  summary: "Set the @handle CODEOWNERS names a user by",
  input: setUserHandleInput,
  output: userView,
  permission: "users:manage",
  run: ({ tx, input }) => setHandle(tx, input),
});

export const addOwnershipRule = operation({
  name: "ownership.add-rule",
  summary: "Add an ownership rule (and its review policy) after the existing ones",
  input: addRuleInput,
  output: ruleRef,
  permission: "policies:manage",
  client: "pg",
  run: ({ tx, input }) => addRule(tx, input),
});

export const updateOwnershipRule = operation({
  name: "ownership.update-rule",
  summary: "Edit an ownership rule and its review policy",
  input: updateRuleInput,
  output: ruleRef,
  permission: "policies:manage",
  client: "pg",
  run: ({ tx, input }) => updateRule(tx, input),
});

export const removeOwnershipRule = operation({
  name: "ownership.remove-rule",
  summary: "Remove a manual ownership rule",
  input: removeRuleInput,
  output: ruleRef,
  permission: "policies:manage",
  client: "pg",
  run: ({ tx, input }) => removeRule(tx, input),
});

export const createToken = operation({
  name: "tokens.create",
  summary: "Create an API token (shown once)",
  input: createTokenSchema,
  output: createdToken,
  permission: "tokens:manage",
  isolation: "read-committed",
  run: ({ tx, viewer, input }) => create_(tx, viewer, input),
});

export const revokeToken = operation({
  name: "tokens.revoke",
  summary: "Revoke an API token",
  input: revokeTokenInput,
  output: revokedToken,
  permission: "tokens:manage",
  run: ({ tx, viewer, input }) => revoke(tx, viewer, input),
  // After the commit: a request in between would otherwise remember the unrevoked row.
  after: ({ result }) => [Promise.resolve(forgetTokens(result.id))],
});

export const linkEmail = operation({
  name: "emails.link",
  summary: "Link an extra email you commit with to your account (counts once an admin confirms it)",
  input: linkEmailInput,
  output: linkedEmail,
  permission: "emails:link",
  run: ({ tx, viewer, input }) => link(tx, viewer, input),
});

export const unlinkEmail = operation({
  name: "emails.unlink",
  summary: "Remove one of your extra emails (admins: anyone's)",
  input: emailIdInput,
  output: linkedEmail,
  permission: "emails:link",
  run: ({ tx, viewer, input }) => unlink(tx, viewer, input),
});

export const confirmEmail = operation({
  name: "emails.confirm",
  summary: "Confirm that an extra email is its user's (admins)",
  input: emailIdInput,
  output: linkedEmail,
  permission: "users:manage",
  run: ({ tx, viewer, input }) => confirm(tx, viewer, input),
});

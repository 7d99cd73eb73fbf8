"use server";

import { revalidatePath } from "next/cache";
import { field, runAction, type ActionResult } from "@/lib/http/action";
import { addTeamMember, createTeam, removeTeamMember, setUserHandle, setUserRole } from "@/lib/operations/workspace";

export type ActionState = { error: string | null; saved?: boolean };

function done(result: ActionResult<unknown>): ActionState {
  if (!result.ok) return { error: result.error };
  revalidatePath("/settings/teams");
  return { error: null, saved: true };
}

export async function createTeamAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return done(await runAction(createTeam, { slug: field(form, "slug"), name: field(form, "name") || undefined }));
}

export async function addMemberAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return done(await runAction(addTeamMember, { teamId: field(form, "teamId"), email: field(form, "email") }));
}

export async function removeMemberAction(form: FormData): Promise<void> {
  done(await runAction(removeTeamMember, { teamId: field(form, "teamId"), userId: field(form, "userId") }));
}

export async function setRoleAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return done(await runAction(setUserRole, { userId: field(form, "userId"), role: field(form, "role") }));
}

export async function setHandleAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return done(await runAction(setUserHandle, { userId: field(form, "userId"), handle: field(form, "handle") }));
}

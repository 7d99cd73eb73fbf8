"use server";

import { revalidatePath } from "next/cache";
import { idString } from "@/lib/schema";
import { authorize } from "@/lib/auth/session";
import { actionErrorMessage } from "@/lib/http/action";
import { addTeamMember, createTeam, removeTeamMember, setUserHandle, setUserRole } from "@/lib/teams";

export type ActionState = { error: string | null; saved?: boolean };

async function run(fn: () => Promise<unknown>): Promise<ActionState> {
  try {
    await fn();
    revalidatePath("/settings/teams");
    return { error: null, saved: true };
  } catch (error) {
    return { error: actionErrorMessage(error) };
  }
}

const id = idString();

export async function createTeamAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return run(async () => {
    const viewer = await authorize("teams:manage");
    await createTeam({ viewer, slug: String(form.get("slug") ?? ""), name: String(form.get("name") ?? "") });
  });
}

export async function addMemberAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return run(async () => {
    const viewer = await authorize("teams:manage");
    await addTeamMember({ viewer, teamId: id.parse(form.get("teamId")), email: String(form.get("email") ?? "") });
  });
}

export async function removeMemberAction(form: FormData): Promise<void> {
  await run(async () => {
    const viewer = await authorize("teams:manage");
    await removeTeamMember({ viewer, teamId: id.parse(form.get("teamId")), userId: id.parse(form.get("userId")) });
  });
}

export async function setRoleAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return run(async () => {
    const viewer = await authorize("users:manage");
    await setUserRole({ viewer, userId: id.parse(form.get("userId")), role: form.get("role") as never });
  });
}

export async function setHandleAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return run(async () => {
    const viewer = await authorize("users:manage");
    await setUserHandle({ viewer, userId: id.parse(form.get("userId")), handle: String(form.get("handle") ?? "") });
  });
}

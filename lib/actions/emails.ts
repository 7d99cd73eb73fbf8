"use server";

import { revalidatePath } from "next/cache";
import { authorize } from "@/lib/auth/session";
import { actionErrorMessage } from "@/lib/http/action";
import { confirmEmail, linkEmail, unlinkEmail } from "@/lib/teams/emails";

export type EmailActionState = { error: string | null; saved?: boolean };

async function run(fn: () => Promise<unknown>): Promise<EmailActionState> {
  try {
    await fn();
    revalidatePath("/settings/emails");
    revalidatePath("/settings/teams");
    return { error: null, saved: true };
  } catch (error) {
    return { error: actionErrorMessage(error) };
  }
}

export async function linkEmailAction(_prev: EmailActionState, form: FormData): Promise<EmailActionState> {
  return run(async () => linkEmail({ viewer: await authorize("emails:link"), email: form.get("email") }));
}

export async function unlinkEmailAction(_prev: EmailActionState, form: FormData): Promise<EmailActionState> {
  return run(async () => unlinkEmail({ viewer: await authorize("emails:link"), id: form.get("id") }));
}

export async function confirmEmailAction(_prev: EmailActionState, form: FormData): Promise<EmailActionState> {
  return run(async () => confirmEmail({ viewer: await authorize("users:manage"), id: form.get("id") }));
}

"use server";

import { revalidatePath } from "next/cache";
import { field, runAction, type ActionResult } from "@/lib/http/action";
import { confirmEmail, linkEmail, unlinkEmail } from "@/lib/operations/workspace";

export type EmailActionState = { error: string | null; saved?: boolean };

function done(result: ActionResult<unknown>): EmailActionState {
  if (!result.ok) return { error: result.error };
  revalidatePath("/settings/emails");
  revalidatePath("/settings/teams");
  return { error: null, saved: true };
}

export async function linkEmailAction(_prev: EmailActionState, form: FormData): Promise<EmailActionState> {
  return done(await runAction(linkEmail, { email: field(form, "email") }));
}

export async function unlinkEmailAction(_prev: EmailActionState, form: FormData): Promise<EmailActionState> {
  return done(await runAction(unlinkEmail, { id: field(form, "id") }));
}

export async function confirmEmailAction(_prev: EmailActionState, form: FormData): Promise<EmailActionState> {
  return done(await runAction(confirmEmail, { id: field(form, "id") }));
}

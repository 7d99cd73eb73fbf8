"use server";

import { revalidatePath } from "next/cache";
import { field, formState, runAction, type FormState } from "@/lib/http/action";
import { setTicketPolicy } from "@/lib/operations/checks";
import { setLastGreenPolicy } from "@/lib/operations/green";
import { parsePrefixes } from "@/lib/reviews/ticket";

const PAGE = "/settings/runs";

function done(outcome: Parameters<typeof formState>[0]): FormState {
  if (outcome.ok) revalidatePath(PAGE);
  return formState(outcome);
}

/** Saves how many succeeded runs make a version green; a value that is not a whole number reaches the schema as text and is refused there. */
export async function setLastGreenAction(_previous: FormState, form: FormData): Promise<FormState> {
  const typed = field(form, "minSucceeded").trim();
  return done(await runAction(setLastGreenPolicy, { minSucceeded: /^[0-9]{1,9}$/.test(typed) ? Number(typed) : typed }));
}

/**
 * Sets a repository's ticket policy from the settings page, or turns it off (the "off" button).
 * Admins only here, although the API lets maintainers set it too: the page is the admins' settings.
 */
export async function setTicketPolicyAction(_previous: FormState, form: FormData): Promise<FormState> {
  const off = field(form, "intent") === "off";
  const policy = off ? null : { prefixes: parsePrefixes(field(form, "prefixes")), urlTemplate: field(form, "urlTemplate").trim() };
  return done(await runAction(setTicketPolicy, { repositoryId: field(form, "repositoryId"), policy }, { also: "policies:manage" }));
}

"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { field, runAction, type ActionResult } from "@/lib/http/action";
import { decideChange, proposeChange, reviseChange } from "@/lib/operations/reviews";

export type ReviewActionState = { error: string | null; currentHash?: string; saved?: boolean };

function failure(result: ActionResult<unknown> & { ok: false }): ReviewActionState {
  // A stale approval says which content is current now, so the page can offer a reload.
  const currentHash = (result.details as { currentHash?: string } | undefined)?.currentHash;
  return { error: result.error, currentHash };
}

export async function proposeAction(_prev: ReviewActionState, form: FormData): Promise<ReviewActionState> {
  const result = await runAction(proposeChange, {
    specId: field(form, "specId"),
    title: field(form, "title"),
    description: field(form, "description"),
    content: field(form, "content"),
    lineEndings: "match-file",
  });
  if (!result.ok) return failure(result);
  revalidatePath("/", "layout");
  redirect(`/changes/${result.output.number}`);
}

export async function reviseAction(_prev: ReviewActionState, form: FormData): Promise<ReviewActionState> {
  const result = await runAction(reviseChange, { number: field(form, "number"), content: field(form, "content"), lineEndings: "match-file" });
  if (!result.ok) return failure(result);
  revalidatePath("/", "layout");
  redirect(`/changes/${result.output.number}`);
}

export async function decideAction(_prev: ReviewActionState, form: FormData): Promise<ReviewActionState> {
  const kind = field(form, "kind");
  const contentHash = field(form, "contentHash") || undefined;
  const breaking = kind === "approve" || kind === "override" ? { breaking: form.get("breaking") === "on" } : {};
  const result = await runAction(decideChange, { number: field(form, "number"), kind, contentHash, body: field(form, "body"), ...breaking });
  if (!result.ok) return failure(result);
  revalidatePath("/", "layout");
  return { error: null, saved: true };
}

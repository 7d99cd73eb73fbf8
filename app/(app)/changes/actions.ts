"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { authorize } from "@/lib/auth/session";
import { actionErrorMessage } from "@/lib/http/action";
import { AppError } from "@/lib/errors";
import { decideChange, proposeChange, reviseChange } from "@/lib/reviews";
import { queueFindingsForChange } from "@/lib/findings/jobs";

export type ReviewActionState = { error: string | null; currentHash?: string; saved?: boolean };

function failure(error: unknown): ReviewActionState {
  // A stale approval says which content is current now, so the page can offer a reload.
  const currentHash = error instanceof AppError ? (error.details as { currentHash?: string } | undefined)?.currentHash : undefined;
  return { error: actionErrorMessage(error), currentHash };
}

const text = (form: FormData, name: string) => String(form.get(name) ?? "");
const changeNumber = (form: FormData) => z.coerce.number().int().min(1).parse(form.get("number"));

export async function proposeAction(_prev: ReviewActionState, form: FormData): Promise<ReviewActionState> {
  let number: number;
  try {
    const viewer = await authorize("reviews:propose");
    const change = await proposeChange({
      viewer,
      specId: z.string().min(1).max(100).parse(form.get("specId")),
      title: text(form, "title"),
      description: text(form, "description"),
      content: text(form, "content"),
      fromTextarea: true,
    });
    number = change.number;
  } catch (error) {
    return failure(error);
  }
  revalidatePath("/", "layout");
  redirect(`/changes/${number}`);
}

export async function reviseAction(_prev: ReviewActionState, form: FormData): Promise<ReviewActionState> {
  let number: number;
  try {
    const viewer = await authorize("reviews:propose");
    number = changeNumber(form);
    await reviseChange({ viewer, number, content: text(form, "content"), fromTextarea: true });
  } catch (error) {
    return failure(error);
  }
  revalidatePath("/", "layout");
  redirect(`/changes/${number}`);
}

export async function decideAction(_prev: ReviewActionState, form: FormData): Promise<ReviewActionState> {
  try {
    const viewer = await authorize("reviews:decide");
    const number = changeNumber(form);
    const kind = z.enum(["approve", "request_changes", "reject", "comment", "override"]).parse(form.get("kind"));
    const contentHash = text(form, "contentHash") || undefined;
    const breaking = kind === "approve" || kind === "override" ? form.get("breaking") === "on" : undefined;
    await decideChange({ viewer, number, kind, contentHash, body: text(form, "body"), ...(breaking === undefined ? {} : { breaking }) } as Parameters<typeof decideChange>[0]);
    await queueFindingsForChange(number);
    revalidatePath("/", "layout");
    return { error: null, saved: true };
  } catch (error) {
    return failure(error);
  }
}

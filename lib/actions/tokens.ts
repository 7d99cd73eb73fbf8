"use server";

import { revalidatePath } from "next/cache";
import { field, runAction } from "@/lib/http/action";
import { createToken, revokeToken } from "@/lib/operations/workspace";

export type TokenActionState = { error: string | null; token?: string; name?: string };

export async function createTokenAction(_prev: TokenActionState, form: FormData): Promise<TokenActionState> {
  const result = await runAction(createToken, {
    name: field(form, "name"),
    scopes: form.getAll("scopes").map(String),
    expiresInDays: field(form, "expiresInDays"),
  });
  if (!result.ok) return { error: result.error };
  revalidatePath("/settings/tokens");
  return { error: null, token: result.output.token, name: result.output.record.name };
}

/** Revoking a token that is not the viewer's (or is gone) says so on the page, never a 500. */
export async function revokeTokenAction(form: FormData): Promise<void> {
  const result = await runAction(revokeToken, { tokenId: field(form, "tokenId") });
  if (!result.ok) console.warn("[tokens] revoke refused:", result.error);
  revalidatePath("/settings/tokens");
}

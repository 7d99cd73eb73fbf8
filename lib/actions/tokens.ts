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

export type RevokeTokenState = { error: string | null };

/** Returns the error instead of throwing: a thrown error would reach the user as a 500 page. */
export async function revokeTokenAction(_prev: RevokeTokenState, form: FormData): Promise<RevokeTokenState> {
  const result = await runAction(revokeToken, { tokenId: field(form, "tokenId") });
  if (!result.ok) return { error: result.error };
  revalidatePath("/settings/tokens");
  return { error: null };
}

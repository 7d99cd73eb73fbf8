"use server";

import { revalidatePath } from "next/cache";
import { authorize } from "@/lib/auth/session";
import { actionErrorMessage } from "@/lib/http/action";
import { createToken, revokeToken } from "@/lib/tokens";

export type TokenActionState = { error: string | null; token?: string; name?: string };

const failure = (error: unknown): TokenActionState => ({ error: actionErrorMessage(error) });

export async function createTokenAction(_prev: TokenActionState, form: FormData): Promise<TokenActionState> {
  try {
    const viewer = await authorize("tokens:manage");
    const { token, record } = await createToken({
      viewer,
      name: String(form.get("name") ?? ""),
      scopes: form.getAll("scopes").map(String) as never,
      expiresInDays: Number(form.get("expiresInDays") ?? 0),
    });
    revalidatePath("/settings/tokens");
    return { error: null, token, name: record.name };
  } catch (error) {
    return failure(error);
  }
}

export type RevokeTokenState = { error: string | null };

/** Returns the error instead of throwing: a thrown error would reach the user as a 500 page. */
export async function revokeTokenAction(_prev: RevokeTokenState, form: FormData): Promise<RevokeTokenState> {
  try {
    const viewer = await authorize("tokens:manage");
    await revokeToken({ viewer, tokenId: form.get("tokenId") });
    revalidatePath("/settings/tokens");
    return { error: null };
  } catch (error) {
    return { error: actionErrorMessage(error) };
  }
}

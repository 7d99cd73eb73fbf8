"use server";

import { revalidatePath } from "next/cache";
import { idString } from "@/lib/schema";
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

export async function revokeTokenAction(form: FormData): Promise<void> {
  const viewer = await authorize("tokens:manage");
  await revokeToken({ viewer, tokenId: idString().parse(form.get("tokenId")) });
  revalidatePath("/settings/tokens");
}

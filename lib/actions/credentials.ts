"use server";

import { revalidatePath } from "next/cache";
import { field, runAction } from "@/lib/http/action";
import { clearRepositoryCredential, setRepositoryCredential } from "@/lib/operations/repositories";
import { credentialFieldsOf } from "./credential-fields";

export type CredentialState = { error: string | null; saved: "set" | "removed" | null };

/** Admins: sets or replaces the repository's token or deploy key; the page then shows its kind and fingerprint only. */
export async function setCredentialAction(_prev: CredentialState, form: FormData): Promise<CredentialState> {
  const credential = credentialFieldsOf(form);
  const result = await runAction(setRepositoryCredential, {
    repositoryId: field(form, "repositoryId"),
    ...(credential && typeof credential === "object" ? credential : {}),
  });
  if (!result.ok) return { error: result.error, saved: null };
  revalidatePath(`/repositories/${result.output.repositoryId}`);
  return { error: null, saved: "set" };
}

/** Admins: removes the repository's credential. */
export async function clearCredentialAction(_prev: CredentialState, form: FormData): Promise<CredentialState> {
  const result = await runAction(clearRepositoryCredential, { repositoryId: field(form, "repositoryId") });
  if (!result.ok) return { error: result.error, saved: null };
  revalidatePath(`/repositories/${result.output.repositoryId}`);
  return { error: null, saved: "removed" };
}

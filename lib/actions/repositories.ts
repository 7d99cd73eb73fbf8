"use server";

import { revalidatePath } from "next/cache";
import { field, runAction } from "@/lib/http/action";
import { addRepository, requestImport } from "@/lib/operations/repositories";

export type AddRepositoryState = { error: string | null; repositoryId: string | null };

export async function addRepositoryAction(_prev: AddRepositoryState, form: FormData): Promise<AddRepositoryState> {
  const result = await runAction(addRepository, { source: field(form, "source"), name: field(form, "name").trim() || undefined });
  if (!result.ok) return { error: result.error, repositoryId: null };
  revalidatePath("/repositories");
  return { error: null, repositoryId: result.output.repository.id };
}

export async function rescanRepositoryAction(repositoryId: string): Promise<{ error: string | null; importId: string | null }> {
  const result = await runAction(requestImport, { repositoryId });
  if (!result.ok) return { error: result.error, importId: null };
  revalidatePath(`/repositories/${result.output.repositoryId}`);
  return { error: null, importId: result.output.id };
}

"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { idString, text } from "@/lib/schema";
import { authorize } from "@/lib/auth/session";
import { actionErrorMessage } from "@/lib/http/action";
import { addRepository, localRootsFromEnv, requestImport } from "@/lib/repositories";

export type AddRepositoryState = { error: string | null; repositoryId: string | null };

const addSchema = z.object({
  source: text().trim().min(1, "Give a local path or a git URL.").max(2000),
  name: text().trim().max(100).optional(),
});

export async function addRepositoryAction(_prev: AddRepositoryState, form: FormData): Promise<AddRepositoryState> {
  try {
    const user = await authorize("repositories:write");
    const input = addSchema.parse({ source: form.get("source"), name: form.get("name") || undefined });
    const { repository } = await addRepository({ source: input.source, name: input.name, requestedById: user.id, localRoots: localRootsFromEnv() });
    revalidatePath("/repositories");
    return { error: null, repositoryId: repository.id };
  } catch (error) {
    return { error: actionErrorMessage(error), repositoryId: null };
  }
}

export async function rescanRepositoryAction(repositoryId: string): Promise<{ error: string | null; importId: string | null }> {
  try {
    const user = await authorize("imports:run");
    const id = idString().parse(repositoryId);
    const record = await requestImport({ repositoryId: id, requestedById: user.id });
    revalidatePath(`/repositories/${id}`);
    return { error: null, importId: record.id };
  } catch (error) {
    return { error: actionErrorMessage(error), importId: null };
  }
}

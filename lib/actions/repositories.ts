"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { field, runAction } from "@/lib/http/action";
import { addRepository, archiveRepository, deleteRepository, editRepositorySource, requestImport, setSyncPolicy } from "@/lib/operations/repositories";
import { credentialFieldsOf } from "./credential-fields";

export type AddRepositoryState = { error: string | null; repositoryId: string | null };

export async function addRepositoryAction(_prev: AddRepositoryState, form: FormData): Promise<AddRepositoryState> {
  const result = await runAction(addRepository, {
    source: field(form, "source"),
    name: field(form, "name").trim() || undefined,
    credential: credentialFieldsOf(form),
  });
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

export type SyncPolicyState = { error: string | null; saved: boolean };

/** Sets how often the repository is fetched on the schedule (admins); "never" turns the schedule off. */
export async function setSyncPolicyAction(_prev: SyncPolicyState, form: FormData): Promise<SyncPolicyState> {
  const raw = field(form, "syncIntervalMinutes");
  // A form sends text: "never" is null, anything else must be canonical digits (the operation checks the range).
  const syncIntervalMinutes = raw === "never" ? null : /^[1-9][0-9]{0,5}$/.test(raw) ? Number(raw) : Number.NaN;
  const result = await runAction(setSyncPolicy, { repositoryId: field(form, "repositoryId"), syncIntervalMinutes });
  if (!result.ok) return { error: result.error, saved: false };
  revalidatePath(`/repositories/${result.output.repositoryId}`);
  return { error: null, saved: true };
}

export type LifecycleState = { error: string | null };

/** Archives or unarchives (form field archived = "true" | "false"); repeating it changes nothing. */
export async function archiveRepositoryAction(_prev: LifecycleState, form: FormData): Promise<LifecycleState> {
  const archived = field(form, "archived");
  const result = await runAction(archiveRepository, {
    repositoryId: field(form, "repositoryId"),
    archived: archived === "true" ? true : archived === "false" ? false : archived,
  });
  if (!result.ok) return { error: result.error };
  revalidatePath("/repositories");
  revalidatePath(`/repositories/${result.output.id}`);
  return { error: null };
}

/** Admins: deletes a repository that never imported anything, its name typed to confirm; then back to the list. */
export async function deleteRepositoryAction(_prev: LifecycleState, form: FormData): Promise<LifecycleState> {
  const result = await runAction(deleteRepository, { repositoryId: field(form, "repositoryId"), confirmName: field(form, "confirmName") });
  if (!result.ok) return { error: result.error };
  revalidatePath("/repositories");
  redirect(`/repositories?deleted=${encodeURIComponent(result.output.name)}`);
}

/** A repository whose imports all failed gets another source and a new import. */
export async function editSourceAction(_prev: LifecycleState, form: FormData): Promise<LifecycleState> {
  const result = await runAction(editRepositorySource, { repositoryId: field(form, "repositoryId"), source: field(form, "source") });
  if (!result.ok) return { error: result.error };
  revalidatePath(`/repositories/${result.output.repository.id}`);
  return { error: null };
}

import { notFound } from "next/navigation";
import { AppError } from "@/lib/errors";
import { positiveIntString } from "@/lib/schema";

/** For pages: a missing resource renders the 404 page instead of an error. */
export async function loadOr404<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
}

/** A numeric path segment of a page in canonical form (`0x10`, `01`, 2^31 and up are not numbers here): else the 404 page. */
export function pageNumber(value: string): number {
  const parsed = positiveIntString().safeParse(value);
  if (!parsed.success) notFound();
  return parsed.data;
}

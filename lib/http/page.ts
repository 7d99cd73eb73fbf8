import { notFound } from "next/navigation";
import { AppError } from "@/lib/errors";

/** For pages: a missing resource renders the 404 page instead of an error. */
export async function loadOr404<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
}

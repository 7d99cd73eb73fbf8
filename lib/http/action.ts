import { z } from "zod";
import { AppError } from "@/lib/errors";

/** What a server action tells the user about an error: ours as they are, anything else logged and summarised. */
export function actionErrorMessage(error: unknown): string {
  if (error instanceof AppError) return error.message;
  if (error instanceof z.ZodError) return error.issues.map((i) => i.message).join(" ");
  console.error("[action]", error);
  return "Something went wrong on our side.";
}

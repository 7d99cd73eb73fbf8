import { z } from "zod";
import type { Permission } from "@/lib/auth/permissions";
import { authorize } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import type { Operation } from "@/lib/operations/operation";

/** What a server action tells the user about an error: ours as they are, anything else logged and summarised. */
export function actionErrorMessage(error: unknown): string {
  if (error instanceof AppError) return error.message;
  if (error instanceof z.ZodError) return error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join(" ");
  console.error("[action]", error);
  return "Something went wrong on our side.";
}

export type ActionResult<O> = { ok: true; output: O } | { ok: false; error: string; details?: unknown };

/**
 * The server actions' counterpart of lib/http/route.ts `handle`: the signed-in user runs the
 * operation with the input built from the form; errors come back as a message for the form,
 * never as a thrown 500. Next.js checks server actions' Origin against the host itself.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any operation, whatever its schemas
export async function runAction<Op extends Operation<any, any, any>>(
  op: Op,
  input: unknown,
  options: { also?: Permission } = {},
): Promise<ActionResult<Awaited<ReturnType<Op>>>> {
  type O = Awaited<ReturnType<Op>>;
  try {
    // `also`: a page that offers an operation to fewer roles than the API does checks that here too.
    if (options.also) await authorize(options.also);
    const viewer = await authorize(op.permission);
    return { ok: true, output: (await op(viewer, input as never)) as O };
  } catch (error) {
    return { ok: false, error: actionErrorMessage(error), details: error instanceof AppError ? error.details : undefined };
  }
}

/** A form field as text ("" when absent). */
export const field = (form: FormData, name: string) => String(form.get(name) ?? "");

/** What a form's server action answers: the refusal to show inline, or that it saved. */
export type FormState = { error: string | null; saved?: boolean };

/** The FormState of an action's result, for actions with nothing else to say. */
export const formState = (result: ActionResult<unknown>): FormState => (result.ok ? { error: null, saved: true } : { error: result.error });

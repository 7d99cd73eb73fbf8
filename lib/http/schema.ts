import { z } from "zod";

/**
 * A string PostgreSQL can store: text and jsonb refuse the NUL character, so it is refused
 * here with a clear message instead of failing in the database.
 */
export const text = () => z.string().refine((s) => !s.includes("\u0000"), "Text cannot contain the NUL character.");

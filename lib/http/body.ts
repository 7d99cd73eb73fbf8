/**
 * A route's input: the JSON body with the path's id added. A body that is not an object is
 * passed on as it is, so the operation's schema refuses it (422).
 */
export async function withId({ params, body }: { params: { id: string }; body: () => Promise<unknown> }): Promise<unknown> {
  const raw = await body();
  return typeof raw === "object" && raw !== null && !Array.isArray(raw) ? { ...raw, id: params.id } : raw;
}

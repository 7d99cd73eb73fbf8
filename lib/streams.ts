/**
 * Reads a request's or response's body, at most `limit` bytes: null when it is larger, judged
 * by Content-Length first and by what actually arrives after (a sender may not declare it, or
 * lie). Beyond the limit the stream is cancelled, so the rest is never read.
 */
export async function readAtMost(message: { headers: Headers; body: ReadableStream<Uint8Array> | null }, limit: number): Promise<Buffer | null> {
  const declared = Number(message.headers.get("content-length") ?? "0");
  if (declared > limit) {
    await message.body?.cancel().catch(() => {});
    return null;
  }
  if (!message.body) return Buffer.alloc(0);
  const reader = message.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

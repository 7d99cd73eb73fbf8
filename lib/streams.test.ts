import { describe, expect, it } from "vitest";
import { readAtMost } from "./streams";

const chunked = (parts: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
      controller.close();
    },
  });

describe("readAtMost", () => {
  it("reads a body up to the limit", async () => {
    expect((await readAtMost(new Response("hello"), 5))?.toString()).toBe("hello");
    expect((await readAtMost(new Response(null), 5))?.length).toBe(0);
  });

  it("refuses a body declared larger, and one that turns out larger than it declared", async () => {
    expect(await readAtMost(new Response("x", { headers: { "content-length": "6" } }), 5)).toBeNull();
    expect(await readAtMost({ headers: new Headers(), body: chunked(["abc", "def"]) }, 5)).toBeNull();
    expect(await readAtMost({ headers: new Headers({ "content-length": "1" }), body: chunked(["abc", "def"]) }, 5)).toBeNull();
  });
});

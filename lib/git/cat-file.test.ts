import { createHash, randomBytes } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestRepo } from "@/lib/testing/git-repo";
import { openBlobReader, readBlobs } from "./cat-file";

type Answer = [string, Buffer | null];

describe("openBlobReader and readBlobs", () => {
  const MISSING = createHash("sha1").update("never stored").digest("hex");
  // A binary body whose inner bytes look like a cat-file header, to catch a parser that
  // looks for the next header instead of counting bytes.
  const BINARY = Buffer.concat([
    Buffer.from([0, 1, 2, 0, 10, 13, 10, 0xff, 0xfe, 0]),
    Buffer.from(`\n${MISSING} blob 12\nnot a header\n${MISSING} missing\n`),
    Buffer.from([0, 10]),
  ]);
  const BIG = randomBytes(3 * 1024 * 1024);
  let repo: TestRepo;
  let gitDir: string;
  let ids: Record<"text" | "empty" | "binary" | "big", string>;
  const contents = () =>
    new Map<string, Buffer>([
      [ids.text, Buffer.from("hello ünï\n")],
      [ids.empty, Buffer.alloc(0)],
      [ids.binary, BINARY],
      [ids.big, BIG],
    ]);

  beforeAll(() => {
    repo = TestRepo.create();
    gitDir = path.join(repo.path, ".git");
    const head = repo.commit("blobs", { "text.md": "hello ünï\n", empty: "", "binary.bin": BINARY, "big.bin": BIG });
    const id = (file: string) => repo.git("rev-parse", `${head}:${file}`);
    ids = { text: id("text.md"), empty: id("empty"), binary: id("binary.bin"), big: id("big.bin") };
  });
  afterAll(() => repo?.remove());

  it("answers every request in order, with exact bytes, null for a missing id, and duplicates repeated", async () => {
    const requests = [ids.text, ids.empty, ids.binary, ids.big, MISSING, ids.text, ids.big, ids.empty, "not-an-object-id"];
    const answers: Answer[] = [];
    await readBlobs({ gitDir, blobIds: requests, onBlob: (id, bytes) => answers.push([id, bytes]) });
    const byId = contents();
    expect(answers.map(([id]) => id)).toEqual(requests);
    answers.forEach(([id, bytes]) => {
      const want = byId.get(id) ?? null;
      if (want === null) expect(bytes).toBeNull();
      else expect(bytes?.equals(want), `bytes of ${id}`).toBe(true);
    });
    expect(answers[1][1]).toHaveLength(0);
    expect(answers[3][1]).toHaveLength(BIG.length);
  });

  it("parses answers and headers that the stream splits anywhere", async () => {
    // Hundreds of blobs from empty to about 12 kB, 2.4 MB in all: chunk boundaries
    // then fall inside headers, bodies and the newline after them.
    const files = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`many/${i}.md`, `${i}\n`.repeat((i * 37) % 3000)]));
    const head = repo.commit("many", files);
    const wanted = new Map(Object.entries(files).map(([file, text]) => [repo.git("rev-parse", `${head}:${file}`), Buffer.from(text)]));
    const requests = [...wanted.keys(), ...wanted.keys()];
    const answers: Answer[] = [];
    await readBlobs({ gitDir, blobIds: requests, onBlob: (id, bytes) => answers.push([id, bytes]) });
    expect(answers.map(([id]) => id)).toEqual(requests);
    for (const [id, bytes] of answers) expect(bytes?.equals(wanted.get(id)!), `bytes of ${id}`).toBe(true);
  });

  it("returns nothing and resolves when nothing is requested", async () => {
    const answers: Answer[] = [];
    await readBlobs({ gitDir, blobIds: [], onBlob: (id, bytes) => answers.push([id, bytes]) });
    expect(answers).toEqual([]);
  });

  it("takes requests while earlier answers are streaming back", async () => {
    const answers: Answer[] = [];
    let firstArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (firstArrived = resolve));
    const reader = openBlobReader({
      gitDir,
      onBlob: (id, bytes) => {
        answers.push([id, bytes]);
        firstArrived();
      },
    });
    reader.request(ids.big);
    await arrived;
    reader.request(MISSING);
    reader.request(ids.binary);
    await reader.close();
    expect(answers.map(([id]) => id)).toEqual([ids.big, MISSING, ids.binary]);
    expect(answers[0][1]?.equals(BIG)).toBe(true);
    expect(answers[1][1]).toBeNull();
    expect(answers[2][1]?.equals(BINARY)).toBe(true);
  });

  it("rejects close() when the git dir does not exist", async () => {
    const missingDir = path.join(repo.path, "no-such-dir");
    await expect(openBlobReader({ gitDir: missingDir, onBlob: () => {} }).close()).rejects.toThrow(/git cat-file failed: .*not a git repository/);

    const answers: Answer[] = [];
    const reader = openBlobReader({ gitDir: missingDir, onBlob: (id, bytes) => answers.push([id, bytes]) });
    reader.request(ids.text);
    await expect(reader.close()).rejects.toThrow(Error);
    expect(answers).toEqual([]);
    await expect(readBlobs({ gitDir: missingDir, blobIds: [ids.text], onBlob: () => {} })).rejects.toThrow(Error);
  });

  it("rejects close() with the error onBlob throws", async () => {
    const failure = new Error("consumer failed");
    const reader = openBlobReader({
      gitDir,
      onBlob: () => {
        throw failure;
      },
    });
    reader.request(ids.text);
    await expect(reader.close()).rejects.toBe(failure);
  });

  // cat-file answers "<name> ambiguous" for an ambiguous short id; it used to be read as a
  // blob of NaN bytes and loop forever. The guard below turns such a loop into a failure.
  it("answers an ambiguous short id once, as null", async () => {
    const prefix = storeTwoBlobsSharingAPrefix(repo);
    const answers: Answer[] = [];
    const reader = openBlobReader({
      gitDir,
      onBlob: (id, bytes) => {
        answers.push([id, bytes]);
        if (answers.length > 1) throw new Error(`onBlob called ${answers.length} times for one request`);
      },
    });
    reader.request(prefix);
    await reader.close();
    expect(answers).toEqual([[prefix, null]]);
  });
});

/** Writes two blobs whose ids share their first four hex digits; returns that prefix. */
function storeTwoBlobsSharingAPrefix(repo: TestRepo): string {
  const blobId = (content: string) =>
    createHash("sha1")
      .update(`blob ${Buffer.byteLength(content)}\0${content}`)
      .digest("hex");
  const byPrefix = new Map<string, string>();
  for (let i = 0; ; i++) {
    const content = `ambiguous ${i}\n`;
    const prefix = blobId(content).slice(0, 4);
    const other = byPrefix.get(prefix);
    if (other !== undefined) {
      repo.write({ "amb-1": other, "amb-2": content }).commit("ambiguous");
      return prefix;
    }
    byPrefix.set(prefix, content);
  }
}

import { describe, expect, it } from "vitest";
import { attributeCommit, authorVerification } from "./identity";

describe("attributeCommit", () => {
  const userByEmail = new Map([
    ["alice@x.test", "alice"],
    ["carol@x.test", "carol"],
  ]);

  it.each<[string, Parameters<typeof attributeCommit>[0]["identity"], string, string | null]>([
    ["a good signature wins over the claimed author", { signature: "G", signerEmail: "carol@x.test", signerKey: "K" }, "alice@x.test", "carol"],
    ["an unsigned commit goes to the claimed author", { signature: "N", signerEmail: null, signerKey: null }, "Alice@X.test", "alice"],
    ["an untrusted signature is ignored", { signature: "U", signerEmail: "carol@x.test", signerKey: "K" }, "alice@x.test", "alice"],
    ["a good signature by a stranger falls back to the claim", { signature: "G", signerEmail: "stranger@x.test", signerKey: "K" }, "alice@x.test", "alice"],
    ["nobody when nothing matches", null, "nobody@x.test", null],
  ])("%s", (_name, identity, authorEmail, expected) => {
    expect(attributeCommit({ authorEmail, identity, userByEmail })).toBe(expected);
  });
});

describe("authorVerification", () => {
  it("verifies only a good signature", () => {
    expect(authorVerification({ signature: "G", signerEmail: "carol@x.test", signerKey: "SHA256:abc" })).toEqual({
      verified: true,
      title: "Signed by carol@x.test (key SHA256:abc).",
    });
    for (const signature of ["N", "U", "B", "E", "R", "X", "Y", "?"]) {
      expect(authorVerification({ signature, signerEmail: null, signerKey: null }).verified).toBe(false);
    }
    expect(authorVerification(null)).toMatchObject({ verified: false, title: expect.stringMatching(/not checked/) });
    expect(authorVerification({ signature: "U", signerEmail: null, signerKey: "K" }).title).toMatch(/does not trust/);
  });
});

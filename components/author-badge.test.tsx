import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { authorVerification } from "@/lib/reviews/identity";
import { AuthorBadge } from "./author-badge";

const render = (identity: Parameters<typeof authorVerification>[0]) =>
  renderToStaticMarkup(createElement(AuthorBadge, { verification: authorVerification(identity) }));

describe("AuthorBadge", () => {
  it("marks an unsigned version's author unverified, saying why in its title", () => {
    const html = render({ signature: "N", signerEmail: null, signerKey: null });
    expect(html).toContain("unverified author");
    expect(html).toMatch(/title="The commit is not signed: its author email is a claim anyone can write in git\."/);
  });

  it("marks a version signed by a trusted key as signed, naming the signer", () => {
    const html = render({ signature: "G", signerEmail: "carol@x.test", signerKey: "SHA256:k" });
    expect(html).toContain(">signed<");
    expect(html).not.toContain("unverified");
    expect(html).toContain("Signed by carol@x.test");
  });
});

import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Markdown, splitFrontMatter } from "./markdown";

const render = (source: string) => renderToStaticMarkup(createElement(Markdown, { source }));

describe("Markdown", () => {
  it("renders GitHub-flavoured Markdown with styles", () => {
    const html = render("# Login\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n~~old~~ `x`\n");
    expect(html).toMatch(/<h1 class="[^"]*text-2xl[^"]*">Login<\/h1>/);
    expect(html).toContain("<table");
    expect(html).toContain("<td");
    expect(html).toMatch(/<input[^>]*type="checkbox"[^>]*checked=""/);
    expect(html).toContain("<del");
    expect(html).toMatch(/<code class="[^"]*font-mono[^"]*">x<\/code>/);
    // react-markdown's hast node must not leak into the DOM as an attribute.
    expect(html).not.toContain("node=");
  });

  it("keeps a fenced code block's language class", () => {
    expect(render("```ts\nconst a = 1;\n```\n")).toMatch(/<pre[^>]*><code class="[^"]*language-ts[^"]*">const a = 1;\n<\/code><\/pre>/);
  });

  it.each([
    ["a script tag", "<script>alert(1)</script>", /<script/i],
    ["an onerror handler", "<img src=x onerror=alert(1)>", /onerror/i],
    ["a javascript: link", "[x](javascript:alert(1))", /javascript:/i],
    ["a JaVaScRiPt: link", "[x](JaVaScRiPt:alert(1))", /javascript:/i],
    ["a vbscript: link", "[x](vbscript:msgbox(1))", /vbscript:/i],
    ["a data: image", "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)", /data:/i],
    ["a data: link", "[x](data:text/html,<script>alert(1)</script>)", /data:|<script/i],
    ["a javascript: autolink", "<javascript:alert(1)>", /href="javascript:/i],
    ["a reference link", "[x][r]\n\n[r]: javascript:alert(1)", /javascript:/i],
    ["an inline iframe", 'text <iframe src="https://evil.example"></iframe>', /<iframe/i],
    ["a style attribute", '<p style="position:fixed">x</p>', /style=/i],
  ])("neutralises %s", (_name, source, forbidden) => {
    const html = render(source);
    expect(html).not.toMatch(forbidden);
  });

  it("strips the combined XSS payload", () => {
    const html = render("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))\n");
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/onerror/i);
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain(">x</a>"); // the link text survives, only the URL goes
  });

  it.each([
    ["a closed script line", "<script>alert(1)</script>\n\nAfter\n"],
    ["an unclosed script line", "# Title\n\n<script>\n\nAfter\n\nSecond paragraph\n"],
    ["an unclosed script with code after it", "<SCRIPT src=x>\nalert(1)\n\nAfter\n\nSecond paragraph\n"],
    ["an unclosed style line in a quote", "> <style>\n>\n> After\n\nSecond paragraph\n"],
    ["two unclosed script lines", "<script>\n\nAfter\n\n<script>\n\nSecond paragraph\n"],
  ])("drops %s and renders the text after it", (_name, source) => {
    const html = render(source);
    expect(html).not.toMatch(/<script|<style/i);
    expect(html).toMatch(/<p class="[^"]*">After<\/p>/);
    if (source.includes("Second")) expect(html).toMatch(/<p class="[^"]*">Second paragraph<\/p>/);
  });

  it("keeps safe links and relative images", () => {
    const html = render("[docs](https://example.com/a) [rel](./plan.md) ![d](img/d.png) <mailto:a@example.com>");
    expect(html).toContain('href="https://example.com/a"');
    expect(html).toContain('href="./plan.md"');
    expect(html).toContain('src="img/d.png"');
    expect(html).toContain('href="mailto:a@example.com"');
  });

  it("links footnotes to ids that exist", () => {
    const html = render("Claim[^1]\n\n[^1]: Source.\n");
    const href = html.match(/href="#([^"]+)"[^>]*data-footnote-ref/)?.[1];
    expect(href).toBe("user-content-fn-1");
    expect(html).toContain(`id="${href}"`);
  });

  it("shows front matter as a small block instead of rendering it", () => {
    const html = render("---\ntitle: Login\nstatus: draft\n---\n# Body\n");
    expect(html).toMatch(/<pre aria-label="Front matter"[^>]*>title: Login\nstatus: draft<\/pre>/);
    expect(html).toContain(">Body</h1>");
    expect(html).not.toContain("<hr");
    expect(html).not.toMatch(/<h2[^>]*>[^<]*title/);
  });

  it("escapes HTML inside front matter", () => {
    const html = render("---\nx: <script>alert(1)</script>\n---\n");
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
  });
});

describe("splitFrontMatter", () => {
  it.each<[string, string, string | null, string]>([
    ["YAML block", "---\na: 1\n---\nbody", "a: 1", "body"],
    ["CRLF and a BOM", "\uFEFF---\r\na: 1\r\n---\r\nbody", "a: 1", "body"],
    ["empty block", "---\n---\nbody", "", "body"],
    ["closed with ...", "---\na: 1\n...\nbody", "a: 1", "body"],
    ["no closing fence", "---\n# Title", null, "---\n# Title"],
    ["not at the top", "intro\n---\na\n---\n", null, "intro\n---\na\n---\n"],
    ["no front matter", "# Title\n", null, "# Title\n"],
  ])("%s", (_name, source, frontMatter, body) => {
    expect(splitFrontMatter(source)).toEqual({ frontMatter, body });
  });
});

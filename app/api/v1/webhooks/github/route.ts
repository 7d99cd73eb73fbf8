import { NextResponse, type NextRequest } from "next/server";
import { AppError } from "@/lib/errors";
import { errorResponse, readBytes } from "@/lib/http/route";
import { NO_STORE } from "@/lib/http/errors";
import { requestImport } from "@/lib/operations/repositories";
import { SYSTEM_VIEWER } from "@/lib/repositories";
import { MAX_WEBHOOK_BYTES, receiveGithubDelivery } from "@/lib/webhooks/github";

/**
 * GitHub's webhook deliveries. Authenticated by the X-Hub-Signature-256 signature under the
 * repository's secret, not by a session or token. 200 for a replay or a ping, 202 for
 * everything accepted (queued, recorded or ignored), 401 for a bad signature or an unknown repository.
 */
export async function POST(request: NextRequest) {
  try {
    const type = (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
    if (type !== "application/json") throw new AppError("unsupported_media_type", "Set the webhook's content type to application/json.");
    const body = await readBytes(request, MAX_WEBHOOK_BYTES);
    const outcome = await receiveGithubDelivery({
      event: request.headers.get("x-github-event"),
      deliveryId: request.headers.get("x-github-delivery"),
      signature: request.headers.get("x-hub-signature-256"),
      body,
      // GitHub acts on the repository's behalf, as the system: the secret was the credential.
      queueImport: (repositoryId) => requestImport(SYSTEM_VIEWER, { repositoryId }),
    });
    return NextResponse.json(outcome, { status: outcome.status === "duplicate" || outcome.status === "pong" ? 200 : 202, headers: NO_STORE });
  } catch (error) {
    return errorResponse(error);
  }
}

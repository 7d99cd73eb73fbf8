// The I/O half of the SSRF rules in ./address.ts: resolve a subscription's host when it is
// saved, and at delivery connect only to addresses that pass, checked inside the socket's own
// DNS lookup so that a name re-pointed after the check (DNS rebinding) is caught on the
// address actually connected to. Redirects are never followed (node:http does not).
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import ipaddr from "ipaddr.js";
import { AppError } from "@/lib/errors";
import { addressRefusal, hostAllowed, parseAllowList, urlRefusal, type AllowList } from "./address";

/** SPECLEDGER_WEBHOOK_ALLOW, read on each use so an operator's change needs no code path of its own. */
export function allowListFromEnv(): AllowList {
  try {
    return parseAllowList(process.env.SPECLEDGER_WEBHOOK_ALLOW);
  } catch (error) {
    throw new AppError("unavailable", error instanceof Error ? error.message : "SPECLEDGER_WEBHOOK_ALLOW is not valid.");
  }
}

const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, "$1");

/** Why the server must not send to `raw`, after resolving its host; null when it may. */
export async function checkWebhookUrl(raw: string, allow: AllowList = allowListFromEnv()): Promise<string | null> {
  const refusal = urlRefusal(raw, { allow, ownOrigin: process.env.NEXTAUTH_URL });
  if (refusal) return refusal;
  const url = new URL(raw);
  const host = hostOf(url);
  if (hostAllowed(host, allow) || ipaddr.isValid(host)) return null;
  let addresses: dns.LookupAddress[];
  try {
    addresses = await new Promise<dns.LookupAddress[]>((resolve, reject) =>
      boundedLookup(dns.lookup as unknown as Lookup, host, { all: true, verbatim: true }, DNS_TIMEOUT_MS, (error, found) =>
        error ? reject(error) : resolve(found as dns.LookupAddress[]),
      ),
    );
  } catch {
    return `The host ${host} does not resolve (or not within ${DNS_TIMEOUT_MS / 1000} s).`;
  }
  for (const { address } of addresses) {
    const bad = addressRefusal(address, allow);
    if (bad) return `The host ${host} resolves to an address the server may not call: ${bad}.`;
  }
  return null;
}

/** The longest a host name may take to resolve, at save and at delivery. */
export const DNS_TIMEOUT_MS = 5_000;

type Lookup = (hostname: string, options: dns.LookupAllOptions, callback: (error: Error | null, addresses: dns.LookupAddress[]) => void) => void;

/**
 * `lookup` with a deadline: a resolver that does not answer within `timeoutMs` fails the lookup
 * instead of holding a delivery worker (getaddrinfo cannot be cancelled; its late answer is dropped).
 */
export function boundedLookup(
  lookup: Lookup,
  hostname: string,
  options: dns.LookupAllOptions,
  timeoutMs: number,
  callback: (error: Error | null, addresses?: dns.LookupAddress[]) => void,
): void {
  let done = false;
  const timer = setTimeout(() => {
    done = true;
    callback(Object.assign(new Error(`${hostname} did not resolve within ${timeoutMs / 1000} s`), { code: "ETIMEOUT" }));
  }, timeoutMs);
  lookup(hostname, options, (error, addresses) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    callback(error, addresses);
  });
}

class RefusedAddress extends Error {}

/** A dns.lookup that hands the socket only addresses that pass addressRefusal. */
function guardedLookup(allow: AllowList, lookup: Lookup = dns.lookup as unknown as Lookup, timeoutMs = DNS_TIMEOUT_MS) {
  return (hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
    boundedLookup(lookup, hostname, { ...options, all: true }, timeoutMs, (error, found) => {
      if (error) return callback(error);
      const addresses = found ?? [];
      if (!hostAllowed(hostname, allow)) {
        for (const { address } of addresses) {
          const bad = addressRefusal(address, allow);
          if (bad) return callback(new RefusedAddress(`${hostname} resolved to ${bad}`));
        }
      }
      if (addresses.length === 0) return callback(new Error(`${hostname} did not resolve`));
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

export type PostOutcome =
  | { kind: "response"; status: number; latencyMs: number }
  | { kind: "timeout"; latencyMs: number }
  | { kind: "refused"; reason: string }
  | { kind: "error"; message: string; latencyMs: number };

/** POSTs `body` once: no redirects, no retries, at most `timeoutMs` from start to response headers. */
export function postWebhook(
  raw: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; allow?: AllowList },
): Promise<PostOutcome> {
  const allow = options.allow ?? allowListFromEnv();
  const refusal = urlRefusal(raw, { allow, ownOrigin: process.env.NEXTAUTH_URL });
  if (refusal) return Promise.resolve({ kind: "refused", reason: refusal });
  const url = new URL(raw);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const client = url.protocol === "https:" ? https : http;
    const request = client.request(url, {
      method: "POST",
      agent: false,
      lookup: guardedLookup(allow) as unknown as typeof dns.lookup,
      headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
    });
    const timer = setTimeout(() => {
      settle({ kind: "timeout", latencyMs: elapsed() });
      request.destroy();
    }, options.timeoutMs);
    request.on("response", (response) => {
      settle({ kind: "response", status: response.statusCode ?? 0, latencyMs: elapsed() });
      // The answer's body is not used; it is drained and the connection closed.
      response.resume();
      response.on("error", () => undefined);
      request.destroy();
    });
    request.on("error", (error) => {
      if (error instanceof RefusedAddress) settle({ kind: "refused", reason: error.message });
      else settle({ kind: "error", message: error.message.slice(0, 300), latencyMs: elapsed() });
    });
    request.end(body);
  });
}

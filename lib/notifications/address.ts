// Which addresses a webhook may reach (docs/decisions/025-outbound-notifications.md). A webhook
// URL is chosen by a user but fetched by the server, so anything that only the server can reach
// (loopback, private networks, link-local cloud metadata, the app itself) is refused unless the
// operator allow-lists it with SPECLEDGER_WEBHOOK_ALLOW. Pure functions; the DNS and HTTP parts
// are in ./guard.ts.
import ipaddr from "ipaddr.js";

export interface AllowList {
  hosts: Set<string>;
  ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][];
}

/** SPECLEDGER_WEBHOOK_ALLOW: comma-separated host names, addresses and CIDR ranges; anything else is an error. */
export function parseAllowList(value: string | undefined): AllowList {
  const list: AllowList = { hosts: new Set(), ranges: [] };
  for (const raw of (value ?? "").split(",")) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry.includes("/")) {
      list.ranges.push(ipaddr.parseCIDR(entry));
    } else if (ipaddr.isValid(stripBrackets(entry))) {
      const address = ipaddr.process(stripBrackets(entry));
      list.ranges.push([address, address.kind() === "ipv4" ? 32 : 128]);
    } else if (/^[a-z0-9.-]+$/.test(entry)) {
      list.hosts.add(entry.replace(/\.$/, ""));
    } else {
      throw new Error(`SPECLEDGER_WEBHOOK_ALLOW: "${raw.trim()}" is neither a host name, an address nor a CIDR range.`);
    }
  }
  return list;
}

const stripBrackets = (host: string) => host.replace(/^\[(.*)\]$/, "$1");

function inAllowedRange(address: ipaddr.IPv4 | ipaddr.IPv6, allow: AllowList): boolean {
  return allow.ranges.some(([range, bits]) => range.kind() === address.kind() && address.match(range, bits));
}

/** Whether `host` (a name or an address literal) is allow-listed by name or, for a literal, by range. */
export function hostAllowed(host: string, allow: AllowList): boolean {
  const bare = stripBrackets(host.toLowerCase()).replace(/\.$/, "");
  if (allow.hosts.has(bare)) return true;
  return ipaddr.isValid(bare) && inAllowedRange(ipaddr.process(bare), allow);
}

/**
 * Why the server must not connect to `ip`, or null when it may. Only globally routable unicast
 * addresses pass: ipaddr.js names every special range (loopback, private, linkLocal, which holds
 * 169.254.169.254, carrierGradeNat, uniqueLocal, multicast, unspecified, reserved, and the
 * IPv6 ranges that embed IPv4), and IPv4-mapped IPv6 is judged as the IPv4 address it is.
 */
export function addressRefusal(ip: string, allow: AllowList): string | null {
  if (!ipaddr.isValid(ip)) return `${ip} is not an IP address`;
  const address = ipaddr.process(ip);
  if (inAllowedRange(address, allow)) return null;
  const range = address.range();
  if (range === "unicast") return null;
  return `${address.toString()} is a ${range} address`;
}

/** The parts of a subscription URL the checks need, or the sentence saying why it is refused. */
export function urlRefusal(raw: string, options: { allow: AllowList; ownOrigin?: string }): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "The URL is not a valid absolute URL.";
  }
  if (url.username || url.password) return "The URL must not carry a user name or password; the signature authenticates Specledger.";
  const allowed = hostAllowed(url.hostname, options.allow);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && allowed)) {
    return "The URL must use https (http only for hosts in SPECLEDGER_WEBHOOK_ALLOW).";
  }
  if (options.ownOrigin && !allowed) {
    let own: string | null = null;
    try {
      own = new URL(options.ownOrigin).hostname.toLowerCase();
    } catch {
      // an unparsable NEXTAUTH_URL names no host to compare with
    }
    if (own && own === url.hostname.toLowerCase()) return "The URL points at Specledger itself.";
  }
  const host = stripBrackets(url.hostname);
  if (!allowed && ipaddr.isValid(host)) {
    const refusal = addressRefusal(host, options.allow);
    if (refusal) return `The URL points at an address the server may not call: ${refusal}.`;
  }
  return null;
}

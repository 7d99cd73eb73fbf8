import { describe, expect, it } from "vitest";
import { addressRefusal, hostAllowed, parseAllowList, urlRefusal } from "./address";

const none = parseAllowList(undefined);

describe("addressRefusal", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "linkLocal"],
    ["100.64.0.1", "carrierGradeNat"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fd00:ec2::254", "uniqueLocal"],
    ["fe80::1", "linkLocal"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:10.0.0.1", "private"],
  ])("refuses %s (%s)", (ip, range) => {
    expect(addressRefusal(ip, none)).toContain(range);
  });

  it.each(["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])("lets the public address %s through", (ip) => {
    expect(addressRefusal(ip, none)).toBeNull();
  });

  it("lets an allow-listed range through and nothing beside it", () => {
    const allow = parseAllowList("10.0.0.0/8, ::1");
    expect(addressRefusal("10.20.30.40", allow)).toBeNull();
    expect(addressRefusal("::1", allow)).toBeNull();
    expect(addressRefusal("192.168.0.1", allow)).toContain("private");
    expect(addressRefusal("127.0.0.1", allow)).toContain("loopback");
  });
});

describe("parseAllowList", () => {
  it("reads hosts, addresses and ranges, and refuses anything else", () => {
    const allow = parseAllowList(" Hooks.Internal ,127.0.0.1,fd00::/8 ");
    expect(hostAllowed("hooks.internal", allow)).toBe(true);
    expect(hostAllowed("127.0.0.1", allow)).toBe(true);
    expect(hostAllowed("[fd00::5]", allow)).toBe(true);
    expect(hostAllowed("other.internal", allow)).toBe(false);
    expect(() => parseAllowList("not a host!")).toThrow(/SPECLEDGER_WEBHOOK_ALLOW/);
    expect(() => parseAllowList("10.0.0.0/99")).toThrow();
  });
});

describe("urlRefusal", () => {
  const own = "https://specledger.example.com";
  it.each([
    ["not a url", "not a valid"],
    ["http://hooks.example.com/x", "https"],
    ["ftp://hooks.example.com/x", "https"],
    ["https://user:pw@hooks.example.com/x", "user name"],
    ["https://127.0.0.1/x", "loopback"],
    ["https://10.0.0.7/x", "private"],
    ["https://[::1]/x", "loopback"],
    ["https://169.254.169.254/latest/meta-data", "linkLocal"],
    ["https://SPECLEDGER.example.com:8443/api", "Specledger itself"],
  ])("refuses %s", (url, reason) => {
    expect(urlRefusal(url, { allow: none, ownOrigin: own })).toContain(reason);
  });

  it("accepts https to a public host, and http or a private address only when allow-listed", () => {
    expect(urlRefusal("https://hooks.example.com/x", { allow: none, ownOrigin: own })).toBeNull();
    const allow = parseAllowList("127.0.0.1,hooks.internal");
    expect(urlRefusal("http://127.0.0.1:9000/x", { allow, ownOrigin: own })).toBeNull();
    expect(urlRefusal("http://hooks.internal/x", { allow, ownOrigin: own })).toBeNull();
    expect(urlRefusal("http://127.0.0.2/x", { allow, ownOrigin: own })).toContain("https");
  });
});

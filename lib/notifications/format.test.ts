import { describe, expect, it } from "vitest";
import { maskedUrl, notificationBody, pathMatches, slackText, teamOwners, webhookId } from "./format";

const event = {
  id: "ev1",
  type: "change.approved",
  occurredAt: new Date("2026-12-03T10:00:00Z"),
  data: { number: 7, path: "specs/pay/spec.md", repository: "orders", by: "a@x.test" },
};

describe("notification bodies", () => {
  it("standard: type, timestamp and data with the event id", () => {
    expect(JSON.parse(notificationBody(event, "standard"))).toEqual({
      type: "change.approved",
      timestamp: "2026-12-03T10:00:00.000Z",
      data: { id: "ev1", number: 7, path: "specs/pay/spec.md", repository: "orders", by: "a@x.test" },
    });
  });

  it("slack: only a text line naming what happened", () => {
    const body = JSON.parse(notificationBody(event, "slack"));
    expect(Object.keys(body)).toEqual(["text"]);
    expect(body.text).toBe("Change #7 approved for specs/pay/spec.md in orders by a@x.test");
    expect(slackText({ ...event, type: "gate.denied", data: { service: "pay", version: "1.2", environment: "prod", reasons: "unreviewed" } })).toContain(
      "can-i-deploy said no: pay 1.2 to prod",
    );
  });

  it("one webhook id per event and subscription", () => {
    expect(webhookId("e", "s")).toBe(webhookId("e", "s"));
    expect(webhookId("e", "s")).not.toBe(webhookId("e", "t"));
  });
});

describe("filters", () => {
  it("a glob matches paths, including dot folders; no glob matches all; a glob never matches a pathless event", () => {
    expect(pathMatches("specs/pay/**", "specs/pay/api/spec.md")).toBe(true);
    expect(pathMatches("specs/pay/**", "specs/billing/spec.md")).toBe(false);
    expect(pathMatches("**/*.md", ".kiro/specs/a.md")).toBe(true);
    expect(pathMatches(null, undefined)).toBe(true);
    expect(pathMatches("specs/**", null)).toBe(false);
  });

  it("teams are the @org/team owners, lowercased", () => {
    expect(teamOwners(["@Acme/Pay", "@alice", "bob@x.test"])).toEqual(["@acme/pay"]);
  });
});

describe("maskedUrl", () => {
  it("keeps only the scheme, host and port of a URL whose path is a credential", () => {
    expect(maskedUrl("https://hooks.slack.com/services/T000/B000/XXXXSECRET")).toBe("https://hooks.slack.com/…");
    expect(maskedUrl("https://user:pw@chat.example.com:8443/hooks/abc?token=t#f")).toBe("https://chat.example.com:8443/…");
    // Masking a masked URL changes nothing; what does not parse shows nothing at all.
    expect(maskedUrl("https://hooks.slack.com/…")).toBe("https://hooks.slack.com/…");
    expect(maskedUrl("not a url with SECRET")).toBe("…");
  });
});

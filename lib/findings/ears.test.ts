import { describe, expect, it } from "vitest";
import { looksLikeEars, parseEars } from "./ears";

describe("parseEars", () => {
  it.each([
    {
      text: "THE checkout service SHALL store every amount as integer minor units.",
      expected: { pattern: "ubiquitous", system: "checkout service", response: "store every amount as integer minor units" },
    },
    {
      text: "The ledger SHALL NOT update or delete an entry",
      expected: { pattern: "ubiquitous", system: "ledger", response: "NOT update or delete an entry" },
    },
    {
      text: "- WHEN a customer starts checkout with a non-empty cart THE checkout service SHALL create a session that expires after 30 minutes.",
      expected: {
        pattern: "event",
        trigger: "a customer starts checkout with a non-empty cart",
        system: "checkout service",
        response: "create a session that expires after 30 minutes",
      },
    },
    {
      text: "WHEN the provider does not answer within 10 seconds THE checkout service SHALL mark the payment `pending_reconciliation` and SHALL NOT retry the authorisation.",
      expected: {
        pattern: "event",
        trigger: "the provider does not answer within 10 seconds",
        system: "checkout service",
        response: "mark the payment `pending_reconciliation` and SHALL NOT retry the authorisation",
      },
    },
    {
      // Kiro's style: THEN after WHEN, lower-case "the system".
      text: "1. WHEN a user submits the form THEN the system SHALL show a confirmation",
      expected: { pattern: "event", trigger: "a user submits the form", system: "system", response: "show a confirmation" },
    },
    {
      text: "When the cart changes, the checkout service shall recompute the total.",
      expected: { pattern: "event", trigger: "the cart changes", system: "checkout service", response: "recompute the total" },
    },
    {
      text: "WHILE a refund is pending THE ledger SHALL hold the amount in the suspense account.",
      expected: { pattern: "state", trigger: "a refund is pending", system: "ledger", response: "hold the amount in the suspense account" },
    },
    {
      text: "IF the cart is empty THEN THE checkout service SHALL reject the request with `422 cart_empty`.",
      expected: {
        pattern: "unwanted",
        trigger: "the cart is empty",
        system: "checkout service",
        response: "reject the request with `422 cart_empty`",
      },
    },
    {
      text: "IF the issuer declines the card, THEN the checkout service SHALL return `402`.",
      expected: { pattern: "unwanted", trigger: "the issuer declines the card", system: "checkout service", response: "return `402`" },
    },
    {
      text: "WHERE the store sells gift cards, THE checkout service SHALL accept a gift card code.",
      expected: { pattern: "optional", trigger: "the store sells gift cards", system: "checkout service", response: "accept a gift card code" },
    },
    {
      text: "WHILE the session is open, WHEN the cart changes THE checkout service SHALL recompute the total.",
      expected: {
        pattern: "complex",
        trigger: "WHILE the session is open, WHEN the cart changes",
        system: "checkout service",
        response: "recompute the total",
      },
    },
    {
      text: "**WHEN** a payment fails twice **THE** notifier **SHALL** page the on-call engineer",
      expected: { pattern: "event", trigger: "a payment fails twice", system: "notifier", response: "page the on-call engineer" },
    },
  ])("$expected.pattern: $text", ({ text, expected }) => {
    expect(parseEars(text)).toEqual({ ok: true, ...expected });
  });

  it.each([
    ["WHEN the card is declined the customer sees an error and can try again with another card.", "no SHALL clause"],
    ["THE checkout service SHOULD respond quickly.", "no SHALL clause"],
    ["WHEN a refund is requested THE refunds service SHALL", "no response after SHALL"],
    ["THE ledger SHALL NOT.", "no response after SHALL"],
    ["SHALL create a session.", "no system before SHALL"],
    ["WHEN a session expires THE SHALL release the stock.", "no system before SHALL"],
    ["IF the cart is empty THE checkout service SHALL reject the request.", "IF needs THEN"],
    ["WHEN payments SHALL settle daily.", "cannot tell where the condition ends"],
    ["WHEN , THE checkout service SHALL log the event.", "empty WHEN clause"],
    ["THE checkout service WHEN the cart changes SHALL recompute the total.", "the condition must come first"],
  ])("rejects %s", (text, reason) => {
    const result = parseEars(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });
});

describe("looksLikeEars", () => {
  it.each([
    ["WHEN the card is declined the customer sees an error.", true],
    ["- IF the cart is empty THEN THE checkout service SHALL reject it.", true],
    ["WHILE offline, queue the event.", true],
    ["WHERE gift cards are enabled ...", true],
    ["THE ledger SHALL be append-only.", true],
    ["The ledger SHALL be append-only.", true],
    ["When in doubt, ask the payments team.", false],
    ["If the build fails, read the log.", false],
    ["The checkout service MUST authorise the session total.", false],
    ["Customers pay for the contents of their cart in one step.", false],
    ["1. **Given** an empty cart, **When** the customer pays, **Then** the request is rejected.", false],
  ])("%s -> %s", (text, expected) => {
    expect(looksLikeEars(text)).toBe(expected);
  });
});

describe("parseEars on hostile input", () => {
  it("reads a sentence ending in a long run of punctuation in one pass (a trailing-punctuation regex took minutes)", () => {
    const tail = " .".repeat(150_000);
    expect(parseEars(`THE system SHALL log${tail}`)).toMatchObject({ ok: true, response: "log" });
    expect(parseEars(`WHEN a${" ,".repeat(150_000)} x THE system SHALL log`)).toMatchObject({ ok: true });
  });
});

import { describe, expect, it } from "vitest";
import { cliLoginCommand, usableScopes } from "./scopes";

describe("usableScopes", () => {
  it.each([
    ["viewer", ["specs:read"]],
    ["reviewer", ["specs:read", "specs:propose", "runs:write", "checks:write", "admin"]],
    ["maintainer", ["specs:read", "specs:propose", "runs:write", "deployments:write", "checks:write", "repositories:sync", "admin"]],
    ["admin", ["specs:read", "specs:propose", "runs:write", "deployments:write", "checks:write", "repositories:sync", "admin"]],
  ] as const)("offers a %s only the scopes their role can use", (role, scopes) => {
    expect(usableScopes(role)).toEqual(scopes);
  });
});

describe("cliLoginCommand", () => {
  it("is the CLI's login command with the server and token", () => {
    expect(cliLoginCommand("https://specledger.example.com", "sl_abc_123")).toBe(
      "npx specledger login --server https://specledger.example.com --token sl_abc_123",
    );
  });

  it("quotes what a shell would read otherwise", () => {
    expect(cliLoginCommand("http://host:3000", "a b'c")).toBe("npx specledger login --server http://host:3000 --token 'a b'\\''c'");
  });
});

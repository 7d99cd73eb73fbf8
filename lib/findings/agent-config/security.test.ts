import { describe, expect, it } from "vitest";
import { secretsInText } from "./security";

const body = (n: number) => "a1B2c3D4e5".repeat(Math.ceil(n / 10)).slice(0, n);

// One credential of each known format; secretsInText skips texts holding none of their prefixes, so each must still be found.
const SECRETS: Array<[string, string]> = [
  ["AWS access key id", `AKIA${"Q7ZK3M9TR2WLB5HD"}`],
  ["GitHub token", `ghp_${body(36)}`],
  ["GitHub fine-grained token", `github_pat_${body(48)}`],
  ["Anthropic API key", `sk-ant-${body(40)}`],
  ["OpenAI API key", `sk-proj-${body(40)}`],
  ["Slack token", `xoxb-${body(30)}`],
  ["Google API key", `AIza${body(35)}`],
  ["Stripe live key", `sk_live_${body(30)}`],
  ["Stripe live key", `rk_live_${body(30)}`],
];

describe("secretsInText", () => {
  it.each(SECRETS)("finds a %s", (kind, secret) => {
    const issues = secretsInText(`# Setup\n\nexport TOKEN=${secret}\n`);
    expect(issues.map((i) => [i.line, i.evidence?.kind])).toEqual([[3, kind]]);
  });

  it("finds a private key block and nothing in text without any credential prefix", () => {
    const pem = `-----BEGIN OPENSSH PRIVATE KEY-----\n${"b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ"}\n-----END OPENSSH PRIVATE KEY-----\n`;
    expect(secretsInText(pem).map((i) => i.evidence?.kind)).toEqual(["private key"]);
    expect(secretsInText("# Notes\n\nRead the token from $GITHUB_TOKEN; never paste keys here.\n")).toEqual([]);
  });
});

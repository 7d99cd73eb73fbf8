import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { database, expect, test } from "./fixtures";

const bin = path.resolve(import.meta.dirname, "../bin/specledger.js");

/** The real CLI against the running app, with a config folder of its own (where `login` stores the token). */
function cli(configDir: string) {
  return (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [bin, ...args],
        { env: { ...process.env, SPECLEDGER_CONFIG_DIR: configDir, SPECLEDGER_URL: "", SPECLEDGER_TOKEN: "" }, timeout: 60_000 },
        (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr }),
      );
    });
}

test("the CLI, signed in with the line the tokens page shows, answers what the app's pages show: effective instructions and the last green version", async ({
  page,
  signIn,
}) => {
  test.setTimeout(120_000);
  const configDir = fs.mkdtempSync(path.join(os.tmpdir(), "specledger-e2e-cli-"));
  try {
    const specledger = cli(configDir);
    await signIn("maintainer");
    await page.goto("/settings/tokens");
    await page.getByLabel("Name").fill(`cli-${Date.now().toString(36)}`);
    await page.getByRole("checkbox", { name: /specs:read/ }).check();
    await page.getByRole("button", { name: "Create token" }).click();
    // The exact line the page offers, run as a user would paste it (npx specledger is this package's bin).
    const line = (await page.getByTestId("login-command").textContent())!.trim();
    const args = line.split(/\s+/);
    expect(args.slice(0, 3)).toEqual(["npx", "specledger", "login"]);
    const login = await specledger(args.slice(2));
    expect(login.code, login.stderr).toBe(0);

    // Effective instructions: what Codex loads in services/ledger of payments-service.
    const answer = await specledger(["instructions", "--repository", "payments-service", "--path", "services/ledger", "--agent", "codex", "--format", "json"]);
    expect([0, 1]).toContain(answer.code);
    const fromCli = JSON.parse(answer.stdout) as { entries: { order: number; path: string; status: string }[]; totals: { files: number } };
    expect(fromCli.entries.length).toBeGreaterThan(0);
    const { rows } = await database().query<{ id: string }>(`SELECT id FROM "Repository" WHERE name = 'payments-service'`);
    await page.goto(`/repositories/${rows[0].id}`);
    const form = page.locator("#instructions form");
    await form.locator('select[name="agent"]').selectOption("codex");
    await form.locator('input[name="dir"]').fill("services/ledger");
    await form.getByRole("button").click();
    const shown = page.getByTestId("effective-instructions");
    await expect(shown.locator("ol > li")).toHaveCount(fromCli.entries.length);
    for (const [i, entry] of fromCli.entries.entries()) {
      const item = shown.locator("ol > li").nth(i);
      await expect(item).toContainText(`${entry.order}. ${entry.path}`);
      await expect(item).toContainText(entry.status);
    }
    await expect(shown).toContainText(`${fromCli.totals.files} files`);

    // The last green version of the checkout spec: the CLI's answer is the spec page's mark.
    const green = await specledger(["last-green", "payments-service:specs/001-checkout/spec.md", "--format", "json"]);
    expect([0, 1]).toContain(green.code);
    const last = JSON.parse(green.stdout) as { spec: { id: string }; version: { seq: number } | null; summary: string | null };
    await page.goto(`/specs/${last.spec.id}`);
    const mark = page.getByTestId("last-green");
    if (last.version) await expect(mark).toContainText(`last green: version ${last.version.seq}`);
    else await expect(mark).toContainText(last.summary ?? "no green version");
  } finally {
    fs.rmSync(configDir, { recursive: true, force: true });
  }
});

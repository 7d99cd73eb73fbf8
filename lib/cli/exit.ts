/** The CLI's exit codes; scripts in CI branch on them, so they never change meaning. */
export const EXIT = {
  ok: 0,
  /** The command ran and the answer is no: the import failed, the check did not pass. */
  failed: 1,
  /** Bad arguments or options (commander's errors). */
  usage: 2,
  /** The database (or, for API commands, the server) cannot be reached, or did not answer in time. */
  unreachable: 3,
  /** The server refused the token: missing, unknown, expired, revoked or without the scope. */
  auth: 4,
  /** The server failed (5xx) or answered something that is not the expected JSON. */
  server: 5,
  /** The server does not know what was asked about (404): a version, a change, a run. */
  unknown: 6,
  /** Imported (the import is stored), but a step after it failed: the findings, or the audit record of the import. */
  followUp: 7,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * Thrown by a command to end with a non-zero exit code after it has cleaned up; `main`
 * prints the message, if any, to stderr.
 */
export class CliExit extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message = "",
  ) {
    super(message);
    this.name = "CliExit";
  }
}

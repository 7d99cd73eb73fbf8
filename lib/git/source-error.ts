/** A source that cannot be read or is not accepted; its message is meant for the user. */
export class SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SourceError";
  }
}

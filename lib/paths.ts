import path from "node:path";

/** Where Specledger keeps its files (mirror clones, demo repositories): git-ignored. */
export function dataDir(): string {
  return process.env.SPECLEDGER_DATA_DIR ?? path.join(process.cwd(), ".data");
}

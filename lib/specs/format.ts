// Formatting shared by the server and the browser (no Node imports here).

/** Human-readable size in binary units, e.g. 1.4 MB, 512 KB, 12 bytes. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} ${n === 1 ? "byte" : "bytes"}`;
  const units = ["KB", "MB", "GB"];
  let unit = 0;
  // One decimal place is enough to tell 1.4 MB from the 1 MB limit; whole numbers drop the ".0".
  let rounded = Math.round((n / 1024) * 10) / 10;
  while (rounded >= 1024 && unit < units.length - 1) {
    unit++;
    rounded = Math.round((n / 1024 ** (unit + 1)) * 10) / 10;
  }
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)} ${units[unit]}`;
}

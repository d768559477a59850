/**
 * Reads an amount typed by a person ("1,234.5", "1234") as integer minor units (cents), never through
 * a float. @returns the decimal string the API takes, or null when it is not a positive amount with
 * at most two decimals.
 */
export function parseMoney(text: string): string | null {
  const cleaned = text.replace(/[,\s]/g, "");
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!match) return null;
  const minor = BigInt(match[1] ?? "0") * 100n + BigInt((match[2] ?? "").padEnd(2, "0") || "0");
  return minor > 0n ? minor.toString() : null;
}

/** A value passed to a transaction function. Strings go as they are; everything else as JSON. */
export type ChainArg =
  | string
  | number
  | bigint
  | boolean
  | null
  | readonly unknown[]
  | { readonly [key: string]: unknown };

/** Encodes one argument the way the contracts parse it: strings raw, bigints as decimal strings, the rest as JSON. */
export function encodeArg(value: ChainArg): string {
  if (typeof value === "string") return value;
  if (typeof value === "bigint") return value.toString();
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

/** Decodes a transaction result: empty means `undefined`, otherwise JSON. */
export function decodeResult(bytes: Uint8Array): unknown {
  if (bytes.length === 0) return undefined;
  const text = new TextDecoder().decode(bytes);
  try {
    return JSON.parse(text);
  } catch {
    // Some functions return a bare string (an id); keep it rather than failing.
    return text;
  }
}

import { createHash } from "node:crypto";

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function derInteger(value: number): Buffer {
  let hex = BigInt(value).toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, "hex");
  // A leading 1 bit would read as negative: DER prefixes a zero byte.
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02]), derLength(bytes.length), bytes]);
}

function derOctets(bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0x04]), derLength(bytes.length), bytes]);
}

/**
 * Fabric's block header hash: SHA-256 of the DER SEQUENCE { INTEGER number, OCTET STRING
 * previous_hash, OCTET STRING data_hash }. @returns lowercase hex.
 */
export function blockHeaderHash(number: number, previousHashHex: string, dataHashHex: string): string {
  const body = Buffer.concat([
    derInteger(number),
    derOctets(Buffer.from(previousHashHex, "hex")),
    derOctets(Buffer.from(dataHashHex, "hex")),
  ]);
  const sequence = Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
  return createHash("sha256").update(sequence).digest("hex");
}

/** Fabric's block data hash: SHA-256 of the concatenated data entries. @returns lowercase hex. */
export function blockDataHash(data: Uint8Array[]): string {
  const hash = createHash("sha256");
  for (const entry of data) hash.update(entry);
  return hash.digest("hex");
}

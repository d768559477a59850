import { createHash, createPublicKey, type KeyObject, sign, verify } from "node:crypto";

/** SHA-256 of the concatenation of the given byte arrays. */
export function sha256(...parts: Uint8Array[]): Buffer {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return hash.digest();
}

// Order of the P-256 group; Fabric refuses signatures whose S is above half of it (malleability).
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const P256_HALF_N = P256_N >> 1n;

interface DerSignature {
  r: bigint;
  s: bigint;
}

function readDerInteger(bytes: Uint8Array, offset: number): { value: bigint; next: number } {
  if (bytes[offset] !== 0x02) throw new Error("expected a DER INTEGER");
  const length = bytes[offset + 1] ?? 0;
  if (length === 0 || length > 33) throw new Error("bad DER INTEGER length");
  const start = offset + 2;
  const end = start + length;
  if (end > bytes.length) throw new Error("truncated DER INTEGER");
  let value = 0n;
  for (let i = start; i < end; i++) value = (value << 8n) | BigInt(bytes[i] ?? 0);
  return { value, next: end };
}

/** Parses an ASN.1 DER ECDSA signature `SEQUENCE { r INTEGER, s INTEGER }`. */
export function parseDerSignature(signature: Uint8Array): DerSignature {
  if (signature.length < 8 || signature[0] !== 0x30) throw new Error("not a DER signature");
  const length = signature[1] ?? 0;
  if (length + 2 !== signature.length) throw new Error("bad DER signature length");
  const r = readDerInteger(signature, 2);
  const s = readDerInteger(signature, r.next);
  if (s.next !== signature.length) throw new Error("trailing bytes after DER signature");
  return { r: r.value, s: s.value };
}

function encodeDerInteger(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, "hex");
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
}

function encodeDerSignature({ r, s }: DerSignature): Buffer {
  const body = Buffer.concat([encodeDerInteger(r), encodeDerInteger(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

const P256_HALF_N_BYTES = Buffer.from(P256_HALF_N.toString(16).padStart(64, "0"), "hex");

/**
 * Whether the S of a DER signature is in [1, N/2], read from its bytes: the check runs for every
 * signature the peer verifies or makes, and building BigInts byte by byte cost more than the rest of
 * the parsing. Malformed DER reads as false.
 */
function hasLowS(signature: Uint8Array): boolean {
  if (signature.length < 8 || signature[0] !== 0x30 || (signature[1] ?? 0) + 2 !== signature.length) return false;
  if (signature[2] !== 0x02) return false;
  const rLength = signature[3] ?? 0;
  const sTag = 4 + rLength;
  if (rLength === 0 || rLength > 33 || signature[sTag] !== 0x02) return false;
  const sLength = signature[sTag + 1] ?? 0;
  let start = sTag + 2;
  const end = start + sLength;
  if (sLength === 0 || sLength > 33 || end !== signature.length) return false;
  while (start < end && signature[start] === 0) start++;
  const length = end - start;
  if (length === 0) return false;
  if (length !== 32) return length < 32;
  return Buffer.compare(signature.subarray(start, end), P256_HALF_N_BYTES) <= 0;
}

/**
 * Verifies an ECDSA P-256 / SHA-256 signature the way Fabric's MSP does: DER encoded, S in the lower half.
 * @returns false for a wrong, malformed or high-S signature; never throws.
 */
export function verifySignature(publicKey: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    if (!hasLowS(signature)) return false;
    // A bare KeyObject (DER is the default encoding) skips option parsing on this hot path.
    return verify("sha256", data, publicKey, signature);
  } catch {
    return false;
  }
}

/** Signs with ECDSA P-256 / SHA-256 and normalises S to the lower half, as Fabric requires. */
export function signData(privateKey: KeyObject, data: Uint8Array): Buffer {
  const signature = sign("sha256", data, privateKey);
  if (hasLowS(signature)) return signature;
  const parsed = parseDerSignature(signature);
  return encodeDerSignature({ r: parsed.r, s: P256_N - parsed.s });
}

/** The public key of a PEM certificate. */
export function publicKeyOf(certificatePem: string): KeyObject {
  return createPublicKey(certificatePem);
}

import { createPrivateKey, type KeyObject, sign } from "node:crypto";
import type { Identity } from "@hyperledger/fabric-gateway";

export type { Identity };

/**
 * Signs a message (proposal, transaction payload or request bytes) with ECDSA over SHA-256 and
 * returns the DER signature with a low S, as Fabric requires. The key may live anywhere: the
 * signer's vault, an HSM, a KMS (which hashes the message itself and signs the digest).
 *
 * The client configures fabric-gateway with `hash.none`, so it hands over the message rather
 * than a digest: Node's OpenSSL-backed `sign` needs the message, and it is ~20× faster than
 * fabric-gateway's own pure-JS signer (see docs/decisions/0044).
 */
export type SignFn = (message: Uint8Array) => Promise<Uint8Array>;

/** An identity together with the means to sign as it. */
export interface SigningIdentity {
  identity: Identity;
  sign: SignFn;
}

/** Builds the fabric-gateway identity for a PEM certificate. */
export function identityOf(mspId: string, certPem: string): Identity {
  return { mspId, credentials: new TextEncoder().encode(certPem) };
}

/** Group orders of the curves Fabric uses, to move S into the lower half. */
const curveOrders: Record<string, { n: bigint; bytes: number; hash: string }> = {
  prime256v1: { n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n, bytes: 32, hash: "sha256" },
  secp384r1: {
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    bytes: 48,
    hash: "sha384",
  },
};

function derInteger(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, "hex");
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
}

/** DER `SEQUENCE { INTEGER r, INTEGER s }` with `s` replaced by `n - s` when it is in the upper half. */
export function lowSDer(p1363: Uint8Array, n: bigint, size: number): Uint8Array {
  const raw = Buffer.from(p1363);
  const r = BigInt(`0x${raw.subarray(0, size).toString("hex")}`);
  let s = BigInt(`0x${raw.subarray(size).toString("hex")}`);
  if (s > n >> 1n) s = n - s;
  const body = Buffer.concat([derInteger(r), derInteger(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

const halfOrders = new Map<bigint, Buffer>();

/**
 * Whether the unsigned big-endian integer `s` is above `n / 2`, compared as bytes: building a BigInt
 * from hex for every signature cost about 1 % of the signer's CPU, and half the signatures need no change.
 */
function isAboveHalf(s: Uint8Array, n: bigint): boolean {
  let half = halfOrders.get(n);
  if (!half) {
    const hex = (n >> 1n).toString(16);
    half = Buffer.from(hex.length % 2 ? `0${hex}` : hex, "hex");
    halfOrders.set(n, half);
  }
  let start = 0;
  while (start < s.length && s[start] === 0) start++;
  const length = s.length - start;
  if (length !== half.length) return length > half.length;
  return Buffer.compare(s.subarray(start), half) > 0;
}

/**
 * `der` (an ECDSA `SEQUENCE { INTEGER r, INTEGER s }` as OpenSSL writes it) with `s` replaced by `n - s`
 * when it is in the upper half; the same bytes when it already is low (half the time).
 * @throws Error when `der` is not a short-form DER signature (P-256 and P-384 signatures always are).
 */
export function lowSFromDer(der: Uint8Array, n: bigint): Uint8Array {
  const bytes = Buffer.from(der.buffer, der.byteOffset, der.byteLength);
  const rLength = bytes[3] ?? 0;
  const sAt = 4 + rLength;
  const sLength = bytes[sAt + 1] ?? 0;
  if (bytes[0] !== 0x30 || bytes[1] !== bytes.length - 2 || bytes[2] !== 0x02 || bytes[sAt] !== 0x02) {
    throw new Error("not a DER ECDSA signature");
  }
  if (!isAboveHalf(bytes.subarray(sAt + 2, sAt + 2 + sLength), n)) return der;
  const s = BigInt(`0x${bytes.toString("hex", sAt + 2, sAt + 2 + sLength)}`);
  const body = Buffer.concat([bytes.subarray(2, sAt), derInteger(n - s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

/**
 * A `SignFn` over a private key held in this process (tests, dev tools, the signer after decryption).
 * It signs with the `KeyObject` itself and fixes S in the DER OpenSSL returns: passing options
 * (`{ key, dsaEncoding }`) makes each signature about twice as expensive.
 * @param namedCurve the key's curve when the caller already knows it: reading it from the key
 *   (`asymmetricKeyDetails`) costs ≈ 10 µs, a fifth of a signature.
 */
export function keySigner(key: KeyObject, namedCurve = key.asymmetricKeyDetails?.namedCurve): SignFn {
  const curve = curveOrders[namedCurve ?? ""];
  if (key.asymmetricKeyType !== "ec" || !curve) throw new Error("only P-256 and P-384 ECDSA keys can sign for Fabric");
  return async (message) => lowSFromDer(sign(curve.hash, message, key), curve.n);
}

/** `keySigner` for a PEM private key. */
export function privateKeySigner(keyPem: string): SignFn {
  return keySigner(createPrivateKey(keyPem));
}

import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject, randomBytes } from "node:crypto";

/**
 * Wraps and unwraps data keys under a master key. The local implementation keeps the master key in
 * process memory; a KMS or Vault Transit adapter implements the same two calls remotely, so the
 * master key never enters the signer at all.
 */
export interface KeyWrapper {
  /** Names the master key, stored with each wrapped key so a rotation can find old rows. */
  readonly keyId: string;
  wrap(dataKey: Uint8Array): Promise<Uint8Array>;
  /** @throws when the wrapped key was not made by this master key or was altered. */
  unwrap(wrapped: Uint8Array): Promise<Uint8Array>;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM encryption of `plaintext`; `aad` binds the ciphertext to its owner (a user id).
 * A `KeyObject` key is several times cheaper per call than bytes, which Node checks on every call.
 */
export function seal(key: Uint8Array | KeyObject, plaintext: Uint8Array, aad?: Uint8Array) {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  if (aad) cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ciphertext };
}

/** @throws when the tag does not match (wrong key, altered data, or a row moved to another user). */
export function open(
  key: Uint8Array | KeyObject,
  sealed: { iv: Uint8Array; tag: Uint8Array; ciphertext: Uint8Array },
  aad?: Uint8Array,
): Buffer {
  const decipher = createDecipheriv("aes-256-gcm", key, sealed.iv);
  if (aad) decipher.setAAD(aad);
  decipher.setAuthTag(sealed.tag);
  return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
}

/** A `KeyWrapper` over a 32-byte master key held in memory: wrapped = iv ‖ tag ‖ ciphertext. */
export function createLocalKeyWrapper(masterKey: Uint8Array, keyId = "local"): KeyWrapper {
  if (masterKey.length !== 32) throw new Error("the master key must be 32 bytes (AES-256)");
  const key = createSecretKey(Buffer.from(masterKey));
  return {
    keyId,
    async wrap(dataKey) {
      const { iv, tag, ciphertext } = seal(key, dataKey);
      return Buffer.concat([iv, tag, ciphertext]);
    },
    async unwrap(wrapped) {
      const bytes = Buffer.from(wrapped);
      return open(key, {
        iv: bytes.subarray(0, IV_BYTES),
        tag: bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES),
        ciphertext: bytes.subarray(IV_BYTES + TAG_BYTES),
      });
    },
  };
}

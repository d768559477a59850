import { createPrivateKey, createSecretKey, randomBytes } from "node:crypto";
import { type Identity, identityOf, keySigner, type SigningIdentity } from "@clearbook/client";
import { type Clock, systemClock } from "@clearbook/kit";
import type { EntityManager } from "@mikro-orm/mariadb";
import { IdentityRecord } from "./identity.entity.js";
import { type KeyWrapper, open, seal } from "./key-wrapper.js";

/**
 * Runs a synchronous key import with stack traces off. Given a Buffer, Node 24's `createPrivateKey` and
 * `createSecretKey` find out that it is neither a KeyObject nor a CryptoKey by letting two native slot
 * look-ups throw and catching the errors (`isKeyObject`, `isCryptoKey` in lib/internal/crypto/keys.js);
 * capturing the stack of those two errors cost about a fifth of the import (≈ 6 µs of ≈ 30 µs). The
 * errors never leave Node, and nothing else runs while the limit is 0 (the call is synchronous). A key
 * that does not import still throws, with its message and without a stack.
 */
function importWithoutStackTraces<T>(importKey: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return importKey();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** No identity is stored for this user: nothing can be signed for them until they are enrolled. */
export class MissingIdentityError extends Error {
  override readonly name = "MissingIdentityError";
  constructor(readonly userId: string) {
    super(`no Fabric identity is stored for user ${userId}`);
  }
}

export interface NewIdentity {
  userId: string;
  mspId: string;
  role: string;
  certPem: string;
  keyPem: string;
}

export interface KeyVault {
  /**
   * Stores an identity, encrypting its key. A user who already has one keeps it.
   * @returns the certificate now on record (the earlier one when the user already had one).
   */
  store(identity: NewIdentity): Promise<{ certPem: string; mspId: string; created: boolean }>;
  /** The public half: certificate and MSP, or undefined. */
  certificate(userId: string): Promise<{ certPem: string; mspId: string } | undefined>;
  /**
   * Decrypts the user's key into a signing function. Keep the result only as long as the signing takes.
   * @throws MissingIdentityError.
   */
  signingIdentity(userId: string): Promise<SigningIdentity>;
}

export interface KeyVaultOptions {
  /** Gives a fresh EntityManager of the signer's database. */
  fork: () => EntityManager;
  wrapper: KeyWrapper;
  clock?: Clock;
  /** Encrypted rows kept in memory to save a query per command. Default 10 000. */
  cacheSize?: number;
}

type Sealed = Pick<IdentityRecord, "userId" | "mspId" | "certPem" | "wrappedDek" | "iv" | "tag" | "ciphertext">;

/** A cached row with what is public about it, worked out once: the fabric-gateway identity and the key's curve. */
interface Cached extends Sealed {
  identity?: Identity;
  namedCurve?: string;
}

/** A vault over the `identity` table; keys leave it only as signing functions. */
export function createKeyVault(options: KeyVaultOptions): KeyVault {
  const { fork, wrapper } = options;
  const clock = options.clock ?? systemClock;
  const cacheSize = options.cacheSize ?? 10_000;
  // Only ciphertext is cached: a memory dump holds no usable key without the master key.
  const cache = new Map<string, Cached>();

  const remember = (row: Sealed): Cached => {
    if (cache.size >= cacheSize) cache.delete(cache.keys().next().value ?? "");
    const cached: Cached = { ...row };
    cache.set(row.userId, cached);
    return cached;
  };

  const load = async (userId: string): Promise<Cached | undefined> => {
    const cached = cache.get(userId);
    if (cached) return cached;
    const row = await fork().findOne(IdentityRecord, { userId });
    return row ? remember(row) : undefined;
  };

  return {
    async store(identity) {
      const dataKey = randomBytes(32);
      const sealed = seal(dataKey, Buffer.from(identity.keyPem), Buffer.from(identity.userId));
      const row = {
        userId: identity.userId,
        mspId: identity.mspId,
        role: identity.role,
        certPem: identity.certPem,
        keyId: wrapper.keyId,
        wrappedDek: Buffer.from(await wrapper.wrap(dataKey)),
        iv: sealed.iv,
        tag: sealed.tag,
        ciphertext: sealed.ciphertext,
        createdAt: new Date(clock.now()),
      };
      dataKey.fill(0);
      const em = fork();
      // INSERT IGNORE semantics: two enrollments racing for one user leave exactly one identity.
      const inserted = await em
        .createQueryBuilder(IdentityRecord)
        .insert(row)
        .onConflict("userId")
        .ignore()
        .execute("run");
      const existing = await load(identity.userId);
      if (!existing) throw new Error(`identity of ${identity.userId} vanished after insert`);
      return { certPem: existing.certPem, mspId: existing.mspId, created: (inserted.affectedRows ?? 0) > 0 };
    },
    async certificate(userId) {
      const row = await load(userId);
      return row ? { certPem: row.certPem, mspId: row.mspId } : undefined;
    },
    async signingIdentity(userId) {
      const row = await load(userId);
      if (!row) throw new MissingIdentityError(userId);
      const dataKey = await wrapper.unwrap(row.wrappedDek);
      const keyPem = open(
        importWithoutStackTraces(() => createSecretKey(dataKey)),
        row,
        Buffer.from(userId),
      );
      dataKey.fill(0);
      const key = importWithoutStackTraces(() => createPrivateKey(keyPem));
      keyPem.fill(0);
      row.namedCurve ??= key.asymmetricKeyDetails?.namedCurve;
      row.identity ??= identityOf(row.mspId, row.certPem);
      return { identity: row.identity, sign: keySigner(key, row.namedCurve) };
    },
  };
}

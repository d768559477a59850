import { type KeyObject, X509Certificate } from "node:crypto";
import { msp } from "@hyperledger/fabric-protos";
import { verifySignature } from "./crypto.js";

/** Why an identity was refused; the message is safe to return to the caller. */
export class AccessDeniedError extends Error {
  override readonly name = "AccessDeniedError";
}

/** A creator that passed the MSP checks. */
export interface VerifiedIdentity {
  mspId: string;
  certificate: X509Certificate;
  publicKey: KeyObject;
  /** The serialized `msp.SerializedIdentity` bytes, as found in headers. */
  creator: Uint8Array;
  notBefore: number;
  notAfter: number;
}

/**
 * The membership checks of a single-organisation channel: a creator must name the configured MSP and
 * hold a certificate issued by its CA and valid now. Verified creators are cached by their bytes, so
 * the X.509 work happens once per identity rather than once per request.
 */
export class MspVerifier {
  readonly #mspId: string;
  readonly #ca: X509Certificate;
  readonly #now: () => number;
  readonly #cache = new Map<string, VerifiedIdentity>();
  readonly #maxCached: number;

  constructor(options: { mspId: string; caCertificatePem: string; now?: () => number; maxCached?: number }) {
    this.#mspId = options.mspId;
    this.#ca = new X509Certificate(options.caCertificatePem);
    this.#now = options.now ?? Date.now;
    this.#maxCached = options.maxCached ?? 10_000;
  }

  get mspId(): string {
    return this.#mspId;
  }

  /**
   * Checks a serialized creator against the MSP.
   * @returns the verified identity.
   * @throws AccessDeniedError when the bytes do not parse, name another MSP, or the certificate is not
   *   issued by the MSP's CA or not valid now.
   */
  resolve(creator: Uint8Array): VerifiedIdentity {
    const cacheKey = Buffer.from(creator.buffer, creator.byteOffset, creator.byteLength).toString("base64");
    const cached = this.#cache.get(cacheKey);
    if (cached) {
      this.#checkValidity(cached);
      return cached;
    }
    let identity: msp.SerializedIdentity;
    try {
      identity = msp.SerializedIdentity.deserializeBinary(creator);
    } catch {
      throw new AccessDeniedError("creator is malformed");
    }
    const mspId = identity.getMspid();
    if (mspId !== this.#mspId) throw new AccessDeniedError(`creator org unknown: [${mspId}]`);
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(Buffer.from(identity.getIdBytes_asU8()));
    } catch {
      throw new AccessDeniedError("creator certificate is malformed");
    }
    if (!certificate.checkIssued(this.#ca) || !certificate.verify(this.#ca.publicKey)) {
      throw new AccessDeniedError(`creator certificate is not issued by the CA of ${this.#mspId}`);
    }
    if (certificate.publicKey.asymmetricKeyType !== "ec") {
      throw new AccessDeniedError("creator key is not an ECDSA key");
    }
    const verified: VerifiedIdentity = {
      mspId,
      certificate,
      publicKey: certificate.publicKey,
      creator,
      notBefore: certificate.validFromDate.getTime(),
      notAfter: certificate.validToDate.getTime(),
    };
    this.#checkValidity(verified);
    if (this.#cache.size >= this.#maxCached) this.#cache.clear();
    this.#cache.set(cacheKey, verified);
    return verified;
  }

  /**
   * Checks that `creator` is a member and signed `data`.
   * @throws AccessDeniedError when either check fails.
   */
  verify(creator: Uint8Array, data: Uint8Array, signature: Uint8Array): VerifiedIdentity {
    const identity = this.resolve(creator);
    this.verifyAs(identity, data, signature);
    return identity;
  }

  /**
   * Checks that `identity`, which `resolve` or `verify` returned earlier, is still valid now and signed
   * `data`: the same checks as `verify` without looking the creator up again.
   * @throws AccessDeniedError when either check fails.
   */
  verifyAs(identity: VerifiedIdentity, data: Uint8Array, signature: Uint8Array): void {
    this.#checkValidity(identity);
    if (!verifySignature(identity.publicKey, data, signature)) {
      throw new AccessDeniedError("the creator's signature is not valid");
    }
  }

  #checkValidity(identity: VerifiedIdentity): void {
    const now = this.#now();
    if (now < identity.notBefore || now > identity.notAfter) {
      throw new AccessDeniedError("creator certificate is expired or not yet valid");
    }
  }
}

/** Serializes an identity as Fabric does in headers and endorsements. */
export function serializeIdentity(mspId: string, certificatePem: string): Uint8Array {
  const identity = new msp.SerializedIdentity();
  identity.setMspid(mspId);
  identity.setIdBytes(Buffer.from(certificatePem));
  return identity.serializeBinary();
}

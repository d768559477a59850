import { createPrivateKey } from "node:crypto";
import { type Identity, signers } from "@hyperledger/fabric-gateway";

export type { Identity };

/**
 * Signs a digest (SHA-256 of the message, computed by fabric-gateway) and returns a DER ECDSA
 * signature. The key may live anywhere: in the signer's vault, an HSM, a KMS.
 */
export type SignFn = (digest: Uint8Array) => Promise<Uint8Array>;

/** An identity together with the means to sign as it. */
export interface SigningIdentity {
  identity: Identity;
  sign: SignFn;
}

/** Builds the fabric-gateway identity for a PEM certificate. */
export function identityOf(mspId: string, certPem: string): Identity {
  return { mspId, credentials: new TextEncoder().encode(certPem) };
}

/** A `SignFn` over a PEM private key held in this process (tests, dev tools, the signer after decryption). */
export function privateKeySigner(keyPem: string): SignFn {
  const sign = signers.newPrivateKeySigner(createPrivateKey(keyPem));
  return (digest) => sign(digest);
}

/** A Fabric identity's public half: enough to build a proposal, not to sign it. */
export interface PublicIdentity {
  mspId: string;
  certPem: string;
}

/**
 * Members' certificates held by this process. A user's certificate does not change (the signer issues
 * one per user), so an entry never goes stale; the cache only bounds its size.
 */
export interface IdentityCache {
  get(userId: string): PublicIdentity | undefined;
  set(userId: string, identity: PublicIdentity): void;
}

const MAX_CACHED_CERTIFICATES = 100_000;

export function createIdentityCache(max = MAX_CACHED_CERTIFICATES): IdentityCache {
  const certificates = new Map<string, PublicIdentity>();
  return {
    get: (userId) => certificates.get(userId),
    set(userId, identity) {
      if (certificates.size >= max) certificates.clear();
      certificates.set(userId, identity);
    },
  };
}

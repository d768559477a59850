import { defineEntity, type InferEntity, p } from "@mikro-orm/core";

/**
 * One user's Fabric identity. The private key is envelope-encrypted: `ciphertext` is the PEM key
 * under a fresh AES-256-GCM data key (with `iv` and `tag`), and `wrapped_dek` is that data key
 * wrapped by the master key (`key_id` names which). The certificate is public.
 */
export const IdentityRecord = defineEntity({
  name: "IdentityRecord",
  tableName: "identity",
  properties: {
    userId: p.string().primary().length(128),
    mspId: p.string().length(64),
    role: p.string().length(16),
    certPem: p.text(),
    keyId: p.string().length(64),
    wrappedDek: p.blob(),
    iv: p.blob(),
    tag: p.blob(),
    ciphertext: p.blob(),
    createdAt: p.datetime(),
  },
});
export type IdentityRecord = InferEntity<typeof IdentityRecord>;

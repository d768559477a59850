import { defineEntity, p } from "@mikro-orm/core";

/**
 * A user's Fabric certificate, as the signer announced it (`IdentityEnrolled` on `evt:chain`).
 * Public material: with it the ledger builds the unsigned proposal, so a mutation returns its
 * transaction id at once; only the signer holds the key.
 */
export const FabricIdentityEntity = defineEntity({
  name: "FabricIdentity",
  tableName: "fabric_identities",
  properties: {
    userId: p.string().primary().length(128),
    mspId: p.string().length(64),
    certPem: p.text(),
    enrolledAt: p.datetime(3),
  },
});
export type FabricIdentity = InstanceType<typeof FabricIdentityEntity.class>;

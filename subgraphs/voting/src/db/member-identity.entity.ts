import { defineEntity, type InferEntity, p } from "@mikro-orm/core";

/**
 * A user's Fabric certificate, as the signer announced it (`IdentityEnrolled` on `evt:chain`).
 * Public material: with it the service builds the unsigned proposal of the user's vote, so the
 * receipt carries the transaction id at once; only the signer holds the key.
 */
export const MemberIdentity = defineEntity({
  name: "MemberIdentity",
  tableName: "member_identity",
  properties: {
    userId: p.string().primary().length(128),
    mspId: p.string().length(64),
    certPem: p.text(),
    enrolledAt: p.datetime(3),
  },
});
export type MemberIdentity = InferEntity<typeof MemberIdentity>;

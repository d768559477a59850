import { defineEntity, p } from "@mikro-orm/core";

/**
 * One issued refresh token. Tokens of one device form a family (`familyId`): each use rotates the
 * token (marks it used, issues the next), and presenting a used one revokes the whole family.
 * Only the SHA-256 of the token is stored.
 */
export const RefreshTokenEntity = defineEntity({
  name: "RefreshToken",
  tableName: "refresh_tokens",
  properties: {
    id: p.string().primary().length(36),
    userId: p.string().length(36).index(),
    familyId: p.string().length(36).index(),
    deviceName: p.string().length(120),
    tokenHash: p.string().length(64).unique(),
    createdAt: p.datetime(3),
    expiresAt: p.datetime(3),
    usedAt: p.datetime(3).nullable(),
    revokedAt: p.datetime(3).nullable(),
  },
});
export type RefreshToken = InstanceType<typeof RefreshTokenEntity.class>;

import { createHash, randomBytes, randomUUID } from "node:crypto";
import { type Clock, errors, type SessionRevocation } from "@clearbook/kit";
import { type EntityManager, LockMode } from "@mikro-orm/mariadb";
import type { ChainCommands } from "../chain/chain.port.js";
import { RefreshTokenEntity } from "../db/refresh-token.entity.js";
import { type User, UserEntity } from "../db/user.entity.js";
import type { LoginThrottle } from "./login-throttle.js";
import { decoyHash, hashPassword, verifyPassword } from "./password.js";
import type { TokenKeys } from "./token-keys.js";

export interface SessionServiceDeps {
  clock: Clock;
  keys: TokenKeys;
  throttle: LoginThrottle;
  chain: ChainCommands;
  accessTtlSeconds: number;
  refreshTtlDays: number;
  /**
   * Tells the gateways a session ended, so its access tokens (and sockets) stop working at once
   * instead of when they expire. A failure is logged by the caller's error path, after the refresh
   * tokens are already revoked.
   */
  revoke?: (revocation: SessionRevocation) => Promise<void>;
}

export interface IssuedSession {
  accessToken: string;
  refreshToken: string;
  user: User;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * Accounts and sessions: sign-up, log-in, refresh-token rotation with family revocation on reuse,
 * and log-out. Refresh tokens are random 256-bit strings; only their SHA-256 is stored.
 */
export function createSessionService(deps: SessionServiceDeps) {
  const now = () => new Date(deps.clock.now());

  async function issue(em: EntityManager, user: User, familyId: string, deviceName: string): Promise<IssuedSession> {
    const refreshToken = randomBytes(32).toString("base64url");
    em.create(RefreshTokenEntity, {
      id: randomUUID(),
      userId: user.id,
      familyId,
      deviceName,
      tokenHash: sha256(refreshToken),
      createdAt: now(),
      expiresAt: new Date(deps.clock.now() + deps.refreshTtlDays * 86_400_000),
      usedAt: null,
      revokedAt: null,
    });
    const accessToken = await deps.keys.signAccessToken(
      { sub: user.id, roles: user.platformRoles, sid: familyId },
      deps.clock.now(),
      deps.accessTtlSeconds,
    );
    return { accessToken, refreshToken, user };
  }

  return {
    /** @throws BAD_USER_INPUT for a malformed email or weak password, CONFLICT when the email is taken. */
    async signUp(
      em: EntityManager,
      input: { email: string; password: string; displayName: string },
      deviceName = "default",
      /** Platform roles for accounts made by trusted code (the seed); the API never passes any. */
      platformRoles: "ADMIN"[] = [],
    ): Promise<IssuedSession> {
      const email = input.email.trim().toLowerCase();
      if (!EMAIL.test(email) || email.length > 254) throw errors.badInput("Enter a valid email address.", "email");
      if (input.password.length < 10 || input.password.length > 256) {
        throw errors.badInput("The password must have 10 to 256 characters.", "password");
      }
      const displayName = input.displayName.trim();
      if (displayName.length < 1 || displayName.length > 120) {
        throw errors.badInput("The display name must have 1 to 120 characters.", "displayName");
      }
      if (await em.findOne(UserEntity, { email })) throw errors.conflict("An account with this email already exists.");
      const passwordHash = await hashPassword(input.password);
      return em.transactional(async (tx) => {
        const user = tx.create(UserEntity, {
          id: randomUUID(),
          email,
          displayName,
          passwordHash,
          platformRoles,
          enrolledAt: null,
          createdAt: now(),
        });
        // A platform admin's identity (Fabric role admin) is issued by an operator, never through a
        // stream: `npm run enroll-admin -w @clearbook/signer -- <userId>` (decision 0361).
        if (!platformRoles.includes("ADMIN")) await deps.chain.enroll(tx, user.id);
        return issue(tx, user, randomUUID(), deviceName);
      });
    },

    /** @throws RATE_LIMITED after too many failures, UNAUTHENTICATED for a wrong email or password. */
    async logIn(
      em: EntityManager,
      input: { email: string; password: string; deviceName?: string | null },
      ip: string | null,
    ): Promise<IssuedSession> {
      const email = input.email.trim().toLowerCase();
      // Counted before the password is checked: concurrent guesses cannot all slip past the throttle.
      const waitMs = await deps.throttle.begin(email, ip);
      if (waitMs > 0) throw errors.rateLimited(Math.ceil(waitMs / 1000));
      const user = await em.findOne(UserEntity, { email });
      const ok = await verifyPassword(user?.passwordHash ?? (await decoyHash()), input.password);
      if (!user || !ok) throw errors.unauthenticated("The email or password is wrong.");
      await deps.throttle.recordSuccess(email, ip);
      const deviceName = (input.deviceName ?? "default").slice(0, 120) || "default";
      return em.transactional((tx) => issue(tx, user, randomUUID(), deviceName));
    },

    /**
     * Rotates a refresh token. Presenting one that was already used means it leaked (or a client
     * raced itself): the whole family is revoked and the device must log in again.
     * @throws UNAUTHENTICATED for an unknown, expired, revoked or reused token.
     */
    async refresh(em: EntityManager, refreshToken: string): Promise<IssuedSession> {
      const outcome = await em.transactional(async (tx) => {
        const token = await tx.findOne(
          RefreshTokenEntity,
          { tokenHash: sha256(refreshToken) },
          { lockMode: LockMode.PESSIMISTIC_WRITE },
        );
        if (!token || token.revokedAt) return null;
        if (token.usedAt) {
          await tx.nativeUpdate(
            RefreshTokenEntity,
            { familyId: token.familyId, revokedAt: null },
            { revokedAt: now() },
          );
          return null;
        }
        if (token.expiresAt.getTime() <= deps.clock.now()) return null;
        token.usedAt = now();
        const user = await tx.findOneOrFail(UserEntity, { id: token.userId });
        return issue(tx, user, token.familyId, token.deviceName);
      });
      if (!outcome) throw errors.unauthenticated("The session has ended; log in again.");
      return outcome;
    },

    /**
     * Revokes the sessions of one device (`familyId`, from the access token or the device's refresh
     * token) or of every device.
     * @throws BAD_USER_INPUT when neither says which device.
     */
    async logOut(
      em: EntityManager,
      userId: string,
      target: { allDevices: boolean; familyId?: string | null; refreshToken?: string | null },
    ): Promise<boolean> {
      if (target.allDevices) {
        await em.nativeUpdate(RefreshTokenEntity, { userId, revokedAt: null }, { revokedAt: now() });
        await deps.revoke?.({ kind: "sub", id: userId, atMs: deps.clock.now() });
        return true;
      }
      let familyId = target.familyId ?? null;
      if (!familyId && target.refreshToken) {
        const token = await em.findOne(RefreshTokenEntity, { tokenHash: sha256(target.refreshToken), userId });
        familyId = token?.familyId ?? null;
        if (!familyId) return false;
      }
      if (!familyId) throw errors.badInput("Pass this device's refresh token, or allDevices: true.", "refreshToken");
      await em.nativeUpdate(RefreshTokenEntity, { userId, familyId, revokedAt: null }, { revokedAt: now() });
      await deps.revoke?.({ kind: "sid", id: familyId, atMs: deps.clock.now() });
      return true;
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;

import { randomUUID } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { exportJWK, generateKeyPair, importJWK, type JWK, jwtVerify, SignJWT } from "jose";
import { z } from "zod";

export const TOKEN_ISSUER = "clearbook";
export const TOKEN_AUDIENCE = "clearbook";
const ALG = "ES256";

const privateJwkSchema = z.object({
  kty: z.literal("EC"),
  crv: z.literal("P-256"),
  x: z.string().min(1),
  y: z.string().min(1),
  d: z.string().min(1),
  kid: z.string().min(1).optional(),
});

export interface AccessClaims {
  sub: string;
  roles: string[];
  /** The device's session family, so a device can sign out alone. */
  sid: string;
}

export interface TokenKeys {
  /** The public key set served at `/.well-known/jwks.json`. */
  jwks: { keys: JWK[] };
  /** @returns a signed ES256 JWT valid for `ttlSeconds` from `nowMs`. */
  signAccessToken(claims: AccessClaims, nowMs: number, ttlSeconds: number): Promise<string>;
  /** @returns the claims of a token this key signed; throws a jose error otherwise. */
  verifyAccessToken(token: string, nowMs: number): Promise<AccessClaims>;
}

/** Parses an ES256 private JWK given as JSON text. @throws Error naming what is wrong. */
export function parsePrivateJwk(text: string): JWK {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error("the private JWK is not JSON");
  }
  const parsed = privateJwkSchema.safeParse(json);
  if (!parsed.success) throw new Error("the private JWK must be an EC P-256 key with d, x, y");
  return { ...parsed.data, kid: parsed.data.kid ?? "ledger-1" };
}

/** Generates a fresh ES256 private JWK with a random key id. */
export async function generatePrivateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(ALG, { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: ALG };
}

/**
 * The development key: read from `file`, or generated and written there once (mode 0600), so
 * tokens survive restarts and every dev process signs with the same key.
 */
export async function loadOrCreateDevJwk(file: string): Promise<JWK> {
  try {
    return parsePrivateJwk(await readFile(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const jwk = await generatePrivateJwk();
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(jwk)}\n`, { mode: 0o600, flag: "wx" }).catch(async (error) => {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  });
  return parsePrivateJwk(await readFile(file, "utf8"));
}

/** Parses an ES256 public JWK (a private one is reduced to its public part). @throws Error naming what is wrong. */
export function parsePublicJwk(text: string): JWK {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error("the public JWK is not JSON");
  }
  const parsed = privateJwkSchema.partial({ d: true }).required({ kid: true }).safeParse(json);
  if (!parsed.success) throw new Error("the public JWK must be an EC P-256 key with x, y and a kid");
  return publishable(parsed.data);
}

/** The JWKS entry of a key: public members only. */
function publishable(jwk: JWK): JWK {
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, kid: jwk.kid ?? "ledger-1", alg: ALG, use: "sig" };
}

/**
 * Builds signing and verification over one private JWK. The JWKS also publishes `next` (the key the
 * next rotation will sign with, published first so every gateway has it cached before the first
 * token it signs) and `previous` (the key before the last rotation, so its tokens stay valid until
 * they expire). Rotation: publish the new key as next; after the JWKS cache time, make it the
 * signing key and the old one previous; after the access-token lifetime, drop previous.
 */
export async function createTokenKeys(
  privateJwk: JWK,
  rotation: { next?: JWK | undefined; previous?: JWK | undefined } = {},
): Promise<TokenKeys> {
  const kid = privateJwk.kid ?? "ledger-1";
  const privateKey = await importJWK({ ...privateJwk, alg: ALG }, ALG);
  const { d: _d, ...publicJwk } = privateJwk;
  const publicKey = await importJWK({ ...publicJwk, alg: ALG }, ALG);
  const published = [publishable({ ...publicJwk, kid })];
  for (const extra of [rotation.next, rotation.previous]) {
    if (extra && extra.kid !== kid) published.push(publishable(extra));
  }
  return {
    jwks: { keys: published },
    async signAccessToken(claims, nowMs, ttlSeconds) {
      const iat = Math.floor(nowMs / 1000);
      return new SignJWT({ roles: claims.roles, sid: claims.sid })
        .setProtectedHeader({ alg: ALG, kid, typ: "JWT" })
        .setSubject(claims.sub)
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt(iat)
        .setExpirationTime(iat + ttlSeconds)
        .setJti(randomUUID())
        .sign(privateKey);
    },
    async verifyAccessToken(token, nowMs) {
      const { payload } = await jwtVerify(token, publicKey, {
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        algorithms: [ALG],
        currentDate: new Date(nowMs),
      });
      const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === "string") : [];
      return { sub: String(payload.sub), roles, sid: typeof payload.sid === "string" ? payload.sid : "" };
    },
  };
}

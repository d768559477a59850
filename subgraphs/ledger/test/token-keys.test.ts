import { createLocalJWKSet, jwtVerify } from "jose";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createTokenKeys, generatePrivateJwk, parsePublicJwk } from "../src/auth/token-keys.js";

const test = suite("JWT signing keys and their rotation");

test("publishes the next key before the rotation, and the previous one after it", async () => {
  const oldKey = await generatePrivateJwk();
  const newKey = await generatePrivateJwk();
  const publicOf = (jwk: typeof oldKey) => parsePublicJwk(JSON.stringify(jwk));

  // Before: the old key signs, the new one is already in every cached JWKS.
  const before = await createTokenKeys(oldKey, { next: publicOf(newKey) });
  assert.equal(before.jwks.keys.map((k) => k.kid).sort(), [oldKey.kid, newKey.kid].sort());
  assert.ok(
    before.jwks.keys.every((k) => k.d === undefined),
    "no private member is published",
  );
  const cachedByGateways = createLocalJWKSet(before.jwks);

  // After: the new key signs; a gateway still holding the JWKS from before verifies its tokens.
  const after = await createTokenKeys(newKey, { previous: publicOf(oldKey) });
  const now = Date.now();
  const fresh = await after.signAccessToken({ sub: "u1", roles: [], sid: "s1" }, now, 900);
  const { payload } = await jwtVerify(fresh, cachedByGateways, { issuer: "clearbook", audience: "clearbook" });
  assert.is(payload.sub, "u1");
  // Tokens the old key signed before the rotation stay valid against the new JWKS until they expire.
  const old = await before.signAccessToken({ sub: "u2", roles: [], sid: "s2" }, now, 900);
  const verified = await jwtVerify(old, createLocalJWKSet(after.jwks), { issuer: "clearbook", audience: "clearbook" });
  assert.is(verified.payload.sub, "u2");
});

test("refuses a public JWK without a key id", () => {
  assert.throws(() => parsePublicJwk(JSON.stringify({ kty: "EC", crv: "P-256", x: "a", y: "b" })), /kid/);
});

test.run();

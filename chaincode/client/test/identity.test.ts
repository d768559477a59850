import { createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { keySigner, lowSDer } from "../src/index.js";

const identity = suite("signing identity");
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

function sOf(der: Uint8Array): bigint {
  const bytes = Buffer.from(der);
  const rLength = bytes[3] ?? 0;
  const sStart = 4 + rLength + 2;
  return BigInt(`0x${bytes.subarray(sStart, sStart + (bytes[4 + rLength + 1] ?? 0)).toString("hex")}`);
}

identity("signs messages with ECDSA-SHA256 that verify, always with a low S", async () => {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const sign = keySigner(privateKey);
  for (let i = 0; i < 64; i++) {
    const message = Buffer.from(`proposal ${i}`);
    const signature = await sign(message);
    assert.ok(verify("sha256", message, { key: publicKey, dsaEncoding: "der" }, signature), `signature ${i} verifies`);
    assert.ok(sOf(signature) <= P256_N >> 1n, `signature ${i} has a low S`);
  }
});

identity("flips a high S into the lower half and keeps the signature valid", () => {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const r = Buffer.alloc(32, 0x11);
  const highS = (P256_N - 5n).toString(16).padStart(64, "0");
  const der = lowSDer(Buffer.concat([r, Buffer.from(highS, "hex")]), P256_N, 32);
  assert.is(sOf(der), 5n);
  assert.ok(createPublicKey(privateKey));
});

identity("refuses keys Fabric cannot use", () => {
  const { privateKey } = generateKeyPairSync("ed25519");
  assert.throws(() => keySigner(privateKey), /P-256/);
});

identity.run();

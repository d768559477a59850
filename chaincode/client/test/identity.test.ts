import { createPublicKey, generateKeyPairSync, sign, verify } from "node:crypto";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { keySigner, lowSDer, lowSFromDer } from "../src/index.js";

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

identity("moves the S of a DER signature into the lower half, and leaves a low S as it is", () => {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const message = Buffer.from("transaction payload");
  let flipped = 0;
  for (let i = 0; i < 32; i++) {
    const der = sign("sha256", message, privateKey);
    const low = lowSFromDer(der, P256_N);
    assert.ok(sOf(low) <= P256_N >> 1n, `signature ${i} has a low S`);
    assert.ok(verify("sha256", message, { key: publicKey, dsaEncoding: "der" }, low), `signature ${i} verifies`);
    if (sOf(der) > P256_N >> 1n) flipped++;
    else assert.is(low, der);
  }
  assert.ok(flipped > 0, "some signatures had a high S");
  assert.throws(() => lowSFromDer(Buffer.from([1, 2, 3]), P256_N), /DER/);
});

identity("flips S exactly when it is above half the group order", () => {
  const der = (s: bigint) => {
    let hex = s.toString(16);
    if (hex.length % 2) hex = `0${hex}`;
    let bytes = Buffer.from(hex, "hex");
    if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
    const body = Buffer.concat([Buffer.from([0x02, 1, 1, 0x02, bytes.length]), bytes]);
    return Buffer.concat([Buffer.from([0x30, body.length]), body]);
  };
  const half = P256_N >> 1n;
  for (const s of [1n, 0x80n, half - 1n, half]) assert.is(sOf(lowSFromDer(der(s), P256_N)), s, `S = ${s} stays`);
  for (const s of [half + 1n, P256_N - 1n]) {
    assert.is(sOf(lowSFromDer(der(s), P256_N)), P256_N - s, `S = ${s} is flipped`);
  }
});

identity("refuses keys Fabric cannot use", () => {
  const { privateKey } = generateKeyPairSync("ed25519");
  assert.throws(() => keySigner(privateKey), /P-256/);
});

identity.run();

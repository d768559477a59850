import { generateKeyPairSync, verify } from "node:crypto";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parseDerSignature, signData, verifySignature } from "../src/crypto.js";

const test = suite("signatures");

const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });

function derInteger(value: bigint): Buffer {
  let bytes = Buffer.from(value.toString(16).padStart(64, "0"), "hex");
  while (bytes.length > 1 && bytes[0] === 0 && ((bytes[1] ?? 0) & 0x80) === 0) bytes = bytes.subarray(1);
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
}

function derSignature(r: bigint, s: bigint): Buffer {
  const body = Buffer.concat([derInteger(r), derInteger(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

test("signs with S in the lower half, and refuses the same signature with S mirrored to the upper half", () => {
  for (let i = 0; i < 50; i++) {
    const data = Buffer.from(`message ${i}`);
    const signature = signData(privateKey, data);
    const { r, s } = parseDerSignature(signature);
    assert.ok(s <= P256_N >> 1n, "low S");
    assert.ok(verifySignature(publicKey, data, signature));
    const mirrored = derSignature(r, P256_N - s);
    assert.ok(verify("sha256", data, publicKey, mirrored), "the mirrored signature is valid ECDSA");
    assert.not.ok(verifySignature(publicKey, data, mirrored), "but Fabric refuses a high S");
  }
});

test("refuses malformed signatures without throwing", () => {
  const data = Buffer.from("message");
  const good = signData(privateKey, data);
  for (const bad of [
    Buffer.alloc(0),
    Buffer.from("garbage!"),
    good.subarray(0, good.length - 1),
    derSignature(5n, 0n),
  ]) {
    assert.not.ok(verifySignature(publicKey, data, bad));
  }
});

test.run();

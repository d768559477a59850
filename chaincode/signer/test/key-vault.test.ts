import { createPublicKey, randomBytes, verify } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  certificateAttributes,
  createDevCaEnroller,
  createKeyVault,
  createLocalKeyWrapper,
  IdentityRecord,
  loadMasterKey,
  MissingIdentityError,
} from "../src/index.js";
import { createTestCa, createTestOrm } from "./helpers.js";

type Context = { orm: Awaited<ReturnType<typeof createTestOrm>>; enroller: ReturnType<typeof createDevCaEnroller> };
const vault = suite<Context>("key vault");

vault.before(async (context) => {
  context.orm = await createTestOrm("vault");
  const ca = await createTestCa();
  context.enroller = createDevCaEnroller({ caCertPem: ca.certPem, caKeyPem: ca.keyPem });
});
vault.after(async ({ orm }) => orm.drop());

vault("signs for a stored user with a key that matches their certificate", async ({ orm, enroller }) => {
  const keys = createKeyVault({ fork: orm.fork, wrapper: createLocalKeyWrapper(randomBytes(32)) });
  const issued = await enroller.enroll({ userId: "alice", role: "user" });
  await keys.store({ userId: "alice", mspId: "ClearbookMSP", role: "user", ...issued });
  const { identity, sign } = await keys.signingIdentity("alice");
  assert.is(identity.mspId, "ClearbookMSP");
  const message = Buffer.from("proposal bytes");
  const signature = await sign(message);
  const publicKey = createPublicKey(issued.certPem);
  assert.ok(verify("sha256", message, { key: publicKey, dsaEncoding: "der" }, signature));
});

vault("keeps no readable key in the table", async ({ orm, enroller }) => {
  const keys = createKeyVault({ fork: orm.fork, wrapper: createLocalKeyWrapper(randomBytes(32)) });
  const issued = await enroller.enroll({ userId: "bob", role: "user" });
  await keys.store({ userId: "bob", mspId: "ClearbookMSP", role: "user", ...issued });
  const row = await orm.fork().findOneOrFail(IdentityRecord, { userId: "bob" });
  const body = issued.keyPem.split("\n")[1] ?? "";
  assert.not.ok(Buffer.from(row.ciphertext).toString("latin1").includes("PRIVATE KEY"));
  assert.not.ok(Buffer.from(row.ciphertext).toString("base64").includes(body.slice(0, 20)));
  assert.is(row.wrappedDek.length, 12 + 16 + 32);
});

vault("cannot decrypt with another master key", async ({ orm, enroller }) => {
  const writer = createKeyVault({ fork: orm.fork, wrapper: createLocalKeyWrapper(randomBytes(32)) });
  await writer.store({
    userId: "carol",
    mspId: "ClearbookMSP",
    role: "user",
    ...(await enroller.enroll({ userId: "carol", role: "user" })),
  });
  const thief = createKeyVault({ fork: orm.fork, wrapper: createLocalKeyWrapper(randomBytes(32)) });
  try {
    await thief.signingIdentity("carol");
    assert.unreachable("decrypted with the wrong master key");
  } catch (error) {
    assert.match((error as Error).message, /unable to authenticate|auth/i);
  }
});

vault("refuses a key row copied onto another user", async ({ orm, enroller }) => {
  const master = randomBytes(32);
  const keys = createKeyVault({ fork: orm.fork, wrapper: createLocalKeyWrapper(master) });
  await keys.store({
    userId: "dave",
    mspId: "ClearbookMSP",
    role: "user",
    ...(await enroller.enroll({ userId: "dave", role: "user" })),
  });
  await keys.store({
    userId: "erin",
    mspId: "ClearbookMSP",
    role: "user",
    ...(await enroller.enroll({ userId: "erin", role: "user" })),
  });
  const em = orm.fork();
  const dave = await em.findOneOrFail(IdentityRecord, { userId: "dave" });
  const erin = await em.findOneOrFail(IdentityRecord, { userId: "erin" });
  Object.assign(erin, { wrappedDek: dave.wrappedDek, iv: dave.iv, tag: dave.tag, ciphertext: dave.ciphertext });
  await em.flush();
  const fresh = createKeyVault({ fork: orm.fork, wrapper: createLocalKeyWrapper(master) });
  try {
    await fresh.signingIdentity("erin");
    assert.unreachable("signed as erin with dave's key");
  } catch (error) {
    assert.not.instance(error, MissingIdentityError);
  }
});

vault("keeps a user's first identity when enrolled twice", async ({ orm, enroller }) => {
  const keys = createKeyVault({ fork: orm.fork, wrapper: createLocalKeyWrapper(randomBytes(32)) });
  const first = await enroller.enroll({ userId: "frank", role: "user" });
  const second = await enroller.enroll({ userId: "frank", role: "user" });
  const stored = await keys.store({ userId: "frank", mspId: "ClearbookMSP", role: "user", ...first });
  const again = await keys.store({ userId: "frank", mspId: "ClearbookMSP", role: "user", ...second });
  assert.ok(stored.created);
  assert.not.ok(again.created);
  assert.is(again.certPem, first.certPem);
});

vault("says plainly when a user has no identity", async ({ orm }) => {
  const keys = createKeyVault({ fork: orm.fork, wrapper: createLocalKeyWrapper(randomBytes(32)) });
  try {
    await keys.signingIdentity("nobody");
    assert.unreachable("signed for nobody");
  } catch (error) {
    assert.instance(error, MissingIdentityError);
  }
  assert.is(await keys.certificate("nobody"), undefined);
});

const enrollment = suite("dev CA enrollment");

enrollment("issues a certificate carrying the user id and role attributes", async () => {
  const ca = await createTestCa();
  const issued = await createDevCaEnroller({ caCertPem: ca.certPem, caKeyPem: ca.keyPem }).enroll({
    userId: "u-42",
    role: "admin",
  });
  assert.equal(certificateAttributes(issued.certPem), { "clearbook.userId": "u-42", "clearbook.role": "admin" });
  const { X509Certificate } = await import("node:crypto");
  const cert = new X509Certificate(issued.certPem);
  assert.ok(cert.verify(new X509Certificate(ca.certPem).publicKey), "signed by the CA");
  assert.match(cert.subject, /CN=u-42/);
});

const masterKey = suite("master key");

masterKey("takes the key from the variable, else the file, else a dev key generated once", async () => {
  const dir = await mkdtemp(join(tmpdir(), "clearbook-signer-"));
  try {
    const given = randomBytes(32);
    assert.equal(await loadMasterKey({ base64: given.toString("base64") }), given);
    const devFile = join(dir, "signer", "master.key");
    const generated = await loadMasterKey({ devFile });
    assert.is(generated.length, 32);
    assert.equal(await loadMasterKey({ devFile }), generated, "reused on the next start");
    assert.equal(await loadMasterKey({ file: devFile }), generated);
    assert.is((await readFile(devFile, "utf8")).trim(), generated.toString("base64"));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

masterKey("refuses a short key and, in production, a missing one", async () => {
  try {
    await loadMasterKey({ base64: randomBytes(16).toString("base64") });
    assert.unreachable("accepted a 16-byte key");
  } catch (error) {
    assert.match((error as Error).message, /32 bytes/);
  }
  try {
    await loadMasterKey({});
    assert.unreachable("ran without a master key");
  } catch (error) {
    assert.match((error as Error).message, /required in production/);
  }
});

vault.run();
enrollment.run();
masterKey.run();

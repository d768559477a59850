// @peculiar/x509 resolves its ASN.1 schemas through tsyringe, which needs the Reflect polyfill first.
import "reflect-metadata";
import { randomBytes, webcrypto } from "node:crypto";
import { createOrm, type OrmHandle, type Redis, signCommandEntry, syncSchemaForTests } from "@clearbook/kit";
import * as x509 from "@peculiar/x509";
import { COMMAND_PRODUCERS, signerEntities } from "../src/index.js";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export const MYSQL_URL = process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306";
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** This run's command keys, one per producing service (what `SIGNER_COMMAND_KEYS` configures). */
export const TEST_COMMAND_KEYS: ReadonlyMap<string, Uint8Array> = new Map(
  COMMAND_PRODUCERS.map((service) => [service, Buffer.from(randomBytes(24).toString("hex"), "utf8")]),
);

/** `TEST_COMMAND_KEYS` as the `SIGNER_COMMAND_KEYS` variable of a signer process. */
export function testCommandKeysEnv(): string {
  return [...TEST_COMMAND_KEYS].map(([service, key]) => `${service}=${Buffer.from(key).toString("utf8")}`).join(",");
}

/**
 * Appends a command entry to `stream` (`<prefix>cmd:<domain>`) as the outbox relay does, signed by
 * `service` (the stream's own domain by default; `ledger` for `cmd:signer`); `null` leaves it unsigned.
 */
export async function addCommand(
  redis: Redis,
  stream: string,
  fields: { id: string; type: string; payload: string; at: string },
  service?: string | null,
): Promise<string> {
  const domain = stream.slice(stream.lastIndexOf("cmd:") + 4);
  const signer = service === undefined ? (domain === "signer" ? "ledger" : domain) : service;
  const auth = signer === null ? [] : signCommandEntry({ service: signer, key: keyOf(signer) }, domain, fields);
  const id = await redis.xadd(
    stream,
    "*",
    "id",
    fields.id,
    "type",
    fields.type,
    "payload",
    fields.payload,
    "at",
    fields.at,
    ...auth,
  );
  return String(id);
}

function keyOf(service: string): Uint8Array {
  return TEST_COMMAND_KEYS.get(service) ?? Buffer.from(`no key for ${service}, made up here to fail verification`);
}

/** A fresh `clearbook_test_signer_<name>` database with the signer's tables. */
export async function createTestOrm(name: string): Promise<OrmHandle & { drop(): Promise<void> }> {
  const dbName = `clearbook_test_signer_${name}`;
  const orm = await createOrm({ mysqlUrl: MYSQL_URL, dbName, entities: [...signerEntities] });
  await orm.orm.schema.drop().catch(() => {});
  await syncSchemaForTests(orm.orm);
  return {
    ...orm,
    async drop() {
      await orm.orm.schema.dropDatabase(dbName);
      await orm.dispose();
    },
  };
}

const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

/** A throwaway self-signed P-256 CA, shaped like the devpeer's. */
export async function createTestCa(): Promise<{ certPem: string; keyPem: string }> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8).toString("hex").replace(/^./, "1"),
    name: "CN=clearbook-test-ca, O=Clearbook",
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [new x509.BasicConstraintsExtension(true, 1, true)],
  });
  const der = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey);
  return { certPem: cert.toString("pem"), keyPem: x509.PemConverter.encode(der, "PRIVATE KEY") };
}

/** Resolves when `check` returns a value, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
  what = "condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

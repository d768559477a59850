// fabric-contract-api loads reflect-metadata, which @peculiar/x509 (tsyringe) needs first.
import "fabric-contract-api";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { IDENTITY_ATTRIBUTE_OID, IdentityAttribute, IdentityRole, MSP_ID } from "../../src/api.js";

type KeyPair = webcrypto.CryptoKeyPair;

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const EC_P256 = { name: "ECDSA", namedCurve: "P-256" } as const;
const SIGNING = { name: "ECDSA", hash: "SHA-256" } as const;

/** What a transaction's creator is: an MSP id and a PEM certificate, as in a Fabric SerializedIdentity. */
export interface TestIdentity {
  mspId: string;
  certPem: string;
  userId: string | null;
}

/**
 * A dev CA that issues real ECDSA P-256 X.509 certificates with the Fabric CA attribute
 * extension, so the real `ClientIdentity` of fabric-shim parses them in tests.
 */
export class TestIdentities {
  private readonly cache = new Map<string, Promise<TestIdentity>>();
  private ca: Promise<{ cert: x509.X509Certificate; keys: KeyPair }> | null = null;
  private serial = 1;

  user(userId: string): Promise<TestIdentity> {
    return this.issue(userId, IdentityRole.USER);
  }

  admin(userId = "platform-admin"): Promise<TestIdentity> {
    return this.issue(userId, IdentityRole.ADMIN);
  }

  service(userId = "finalizer"): Promise<TestIdentity> {
    return this.issue(userId, IdentityRole.SERVICE);
  }

  /** A certificate carrying the given attributes as-is (or none), to test refusals. */
  raw(name: string, attrs: Record<string, string> | null, mspId = MSP_ID): Promise<TestIdentity> {
    return this.cached(`raw:${mspId}:${name}:${JSON.stringify(attrs)}`, async () => ({
      mspId,
      certPem: await this.certificate(name, attrs),
      userId: attrs?.[IdentityAttribute.USER_ID] ?? null,
    }));
  }

  private issue(userId: string, role: IdentityRole): Promise<TestIdentity> {
    return this.cached(`${role}:${userId}`, async () => ({
      mspId: MSP_ID,
      certPem: await this.certificate(userId, {
        [IdentityAttribute.USER_ID]: userId,
        [IdentityAttribute.ROLE]: role,
      }),
      userId,
    }));
  }

  private cached(key: string, create: () => Promise<TestIdentity>): Promise<TestIdentity> {
    let identity = this.cache.get(key);
    if (!identity) {
      identity = create();
      this.cache.set(key, identity);
    }
    return identity;
  }

  private async certificate(commonName: string, attrs: Record<string, string> | null): Promise<string> {
    const ca = await this.authority();
    const keys = (await webcrypto.subtle.generateKey(EC_P256, true, ["sign", "verify"])) as KeyPair;
    const extensions: x509.Extension[] = [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)];
    if (attrs) {
      // Fabric CA stores the attribute JSON as the raw extension value (not DER-wrapped).
      const value = new TextEncoder().encode(JSON.stringify({ attrs }));
      extensions.push(new x509.Extension(IDENTITY_ATTRIBUTE_OID, false, value));
    }
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: (this.serial++).toString(16).padStart(2, "0"),
      subject: `CN=${commonName}, OU=client, O=Clearbook`,
      issuer: ca.cert.subject,
      notBefore: new Date("2025-01-01T00:00:00Z"),
      notAfter: new Date("2035-01-01T00:00:00Z"),
      signingAlgorithm: SIGNING,
      publicKey: keys.publicKey,
      signingKey: ca.keys.privateKey,
      extensions,
    });
    return cert.toString("pem");
  }

  private authority(): Promise<{ cert: x509.X509Certificate; keys: KeyPair }> {
    this.ca ??= (async () => {
      const keys = (await webcrypto.subtle.generateKey(EC_P256, true, ["sign", "verify"])) as KeyPair;
      const cert = await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber: "01",
        name: "CN=Clearbook Test CA, O=Clearbook",
        notBefore: new Date("2025-01-01T00:00:00Z"),
        notAfter: new Date("2035-01-01T00:00:00Z"),
        signingAlgorithm: SIGNING,
        keys,
        extensions: [new x509.BasicConstraintsExtension(true, 0, true)],
      });
      return { cert, keys };
    })();
    return this.ca;
  }
}

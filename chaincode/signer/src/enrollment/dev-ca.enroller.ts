// @peculiar/x509 resolves its ASN.1 schemas through tsyringe, which needs the Reflect polyfill first.
import "reflect-metadata";
import { createPrivateKey, randomBytes, webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import type { Enroller } from "./enroller.js";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** Fabric CA's attribute extension: raw JSON `{"attrs":{…}}`, read by chaincode's ClientIdentity. */
export const ATTRS_EXTENSION_OID = "1.2.3.4.5.6.7.8.1";

const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY_MS = 86_400_000;

export interface DevCaOptions {
  caCertPem: string;
  caKeyPem: string;
  validityDays?: number;
  now?: () => Date;
}

/**
 * Issues identities from the platform's dev CA (the devpeer's, from `connection.json`), exactly as
 * Fabric CA would shape them: ECDSA P-256, `OU=client`, attributes in extension 1.2.3.4.5.6.7.8.1.
 */
export function createDevCaEnroller(options: DevCaOptions): Enroller {
  const caCertificate = new x509.X509Certificate(options.caCertPem);
  const caKey = createPrivateKey(options.caKeyPem).toCryptoKey(ALGORITHM, false, ["sign"]);
  return {
    async enroll({ userId, role }) {
      const now = options.now?.() ?? new Date();
      const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
      const serial = randomBytes(16);
      serial[0] = (serial[0] ?? 0) & 0x7f; // a positive INTEGER
      const attrs = JSON.stringify({ attrs: { "clearbook.userId": userId, "clearbook.role": role } });
      const certificate = await x509.X509CertificateGenerator.create({
        serialNumber: serial.toString("hex"),
        subject: `CN=${userId}, OU=client, O=Clearbook`,
        issuer: caCertificate.subject,
        notBefore: new Date(now.getTime() - 60_000),
        notAfter: new Date(now.getTime() + (options.validityDays ?? 3650) * DAY_MS),
        signingAlgorithm: ALGORITHM,
        publicKey: keys.publicKey,
        signingKey: await caKey,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          await x509.AuthorityKeyIdentifierExtension.create(caCertificate),
          new x509.Extension(ATTRS_EXTENSION_OID, false, new TextEncoder().encode(attrs)),
        ],
      });
      const der = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey);
      return { certPem: certificate.toString("pem"), keyPem: x509.PemConverter.encode(der, "PRIVATE KEY") };
    },
  };
}

/** Reads the attributes a certificate carries (for tests and diagnostics). */
export function certificateAttributes(certPem: string): Record<string, string> {
  const extension = new x509.X509Certificate(certPem).getExtension(ATTRS_EXTENSION_OID);
  if (!extension) return {};
  const json: unknown = JSON.parse(new TextDecoder().decode(extension.value));
  if (typeof json !== "object" || json === null || !("attrs" in json)) return {};
  const attrs: unknown = json.attrs;
  if (typeof attrs !== "object" || attrs === null) return {};
  return Object.fromEntries(Object.entries(attrs).filter((e): e is [string, string] => typeof e[1] === "string"));
}

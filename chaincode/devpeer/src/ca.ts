// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata polyfill.
import "reflect-metadata";
import { createPrivateKey, randomBytes, webcrypto } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

/** The certificate extension in which Fabric CA carries identity attributes (raw JSON bytes). */
export const ATTRS_EXTENSION_OID = "1.2.3.4.5.6.7.8.1";

/** Platform roles a Clearbook identity can carry in `clearbook.role`. */
export const IdentityRole = { ADMIN: "admin", USER: "user", SERVICE: "service" } as const;
export type IdentityRole = (typeof IdentityRole)[keyof typeof IdentityRole];

/** A certificate authority: its self-signed certificate and its private key, both PEM. */
export interface CertificateAuthority {
  certificatePem: string;
  privateKeyPem: string;
}

/** An identity issued by the CA: an X.509 certificate and its PKCS#8 private key, both PEM. */
export interface IssuedIdentity {
  certificatePem: string;
  privateKeyPem: string;
}

const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY_MS = 86_400_000;

function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // positive INTEGER
  return bytes.toString("hex");
}

async function exportPrivateKeyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey("pkcs8", key);
  return x509.PemConverter.encode(der, "PRIVATE KEY");
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"])) as CryptoKeyPair;
}

/**
 * Creates a self-signed ECDSA P-256 CA, as the dev CA of the platform MSP.
 * @returns the CA certificate and private key (PEM).
 */
export async function createCertificateAuthority(
  options: { commonName?: string; now?: Date; validityDays?: number } = {},
): Promise<CertificateAuthority> {
  const now = options.now ?? new Date();
  const keys = await generateKeys();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: `CN=${options.commonName ?? "clearbook-dev-ca"}, O=Clearbook`,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + (options.validityDays ?? 3650) * DAY_MS),
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificatePem: certificate.toString("pem"), privateKeyPem: await exportPrivateKeyPem(keys.privateKey) };
}

/**
 * Node roles of a Fabric MSP with NodeOUs, and the `OU` each puts in the certificate (`msp-admin`, an
 * administrator of the organization, is OU=admin; the platform's `admin` role is a client attribute).
 */
const nodeOus = { peer: "peer", orderer: "orderer", "msp-admin": "admin" } as const;
export type NodeRole = keyof typeof nodeOus;

/**
 * Issues an identity certificate signed by `ca`. With `userId`/`role` it carries the Fabric-CA-style
 * attributes `{"attrs":{"clearbook.userId":…,"clearbook.role":…}}` that chaincode reads through
 * `ctx.clientIdentity.getAttributeValue`. A node role (`peer`, `orderer`, `msp-admin`) becomes the
 * certificate's OU instead. `tls` makes a TLS server and client certificate for `hosts` (IP addresses
 * or DNS names, put in its subject alternative names).
 * @returns the certificate and a fresh private key (PEM).
 * @throws when the CA key cannot be read.
 */
export async function issueIdentity(
  ca: CertificateAuthority,
  options: {
    userId: string;
    role: IdentityRole | NodeRole;
    now?: Date;
    validityDays?: number;
    tls?: { hosts: string[] };
  },
): Promise<IssuedIdentity> {
  const now = options.now ?? new Date();
  const caCertificate = new x509.X509Certificate(ca.certificatePem);
  const caKey = await createPrivateKey(ca.privateKeyPem).toCryptoKey(ALGORITHM, false, ["sign"]);
  const keys = await generateKeys();
  const nodeOu = Object.hasOwn(nodeOus, options.role) ? nodeOus[options.role as NodeRole] : undefined;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(
      options.tls
        ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.keyAgreement
        : x509.KeyUsageFlags.digitalSignature,
      true,
    ),
    await x509.AuthorityKeyIdentifierExtension.create(caCertificate),
  ];
  if (options.tls) {
    extensions.push(
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension(
        options.tls.hosts.map((host) => ({ type: /^[0-9.]+$|:/.test(host) ? "ip" : "dns", value: host })),
      ),
    );
  }
  if (!nodeOu) {
    const attrs = JSON.stringify({ attrs: { "clearbook.userId": options.userId, "clearbook.role": options.role } });
    extensions.push(new x509.Extension(ATTRS_EXTENSION_OID, false, new TextEncoder().encode(attrs)));
  }
  const ou = nodeOu ?? "client";
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: `CN=${options.userId}, OU=${ou}, O=Clearbook`,
    issuer: caCertificate.subject,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + (options.validityDays ?? 3650) * DAY_MS),
    signingAlgorithm: ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions,
  });
  return { certificatePem: certificate.toString("pem"), privateKeyPem: await exportPrivateKeyPem(keys.privateKey) };
}

/** Where one PEM identity lives on disk. */
export interface IdentityFiles {
  certPath: string;
  keyPath: string;
}

/** The dev CA material of a data directory. */
export interface DevCredentials {
  ca: CertificateAuthority & { files: IdentityFiles };
  admin: IssuedIdentity & { files: IdentityFiles };
  peer: IssuedIdentity & { files: IdentityFiles };
}

async function readPair(files: IdentityFiles): Promise<{ certificatePem: string; privateKeyPem: string } | undefined> {
  try {
    return {
      certificatePem: await readFile(files.certPath, "utf8"),
      privateKeyPem: await readFile(files.keyPath, "utf8"),
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

async function writePair(files: IdentityFiles, pair: { certificatePem: string; privateKeyPem: string }) {
  await writeFile(files.certPath, pair.certificatePem, { mode: 0o644 });
  await writeFile(files.keyPath, pair.privateKeyPem, { mode: 0o600 });
}

async function loadOrCreate(
  dir: string,
  create: () => Promise<{ certificatePem: string; privateKeyPem: string }>,
): Promise<{ certificatePem: string; privateKeyPem: string; files: IdentityFiles }> {
  await mkdir(dir, { recursive: true });
  const files = { certPath: join(dir, "cert.pem"), keyPath: join(dir, "key.pem") };
  const existing = await readPair(files);
  if (existing) return { ...existing, files };
  const created = await create();
  await writePair(files, created);
  return { ...created, files };
}

/**
 * Loads the dev CA, the platform admin and the peer's own identity from `dir`, creating each once.
 * Later starts reuse them, so certificates issued earlier stay valid.
 */
export async function loadOrCreateCredentials(dir: string): Promise<DevCredentials> {
  const ca = await loadOrCreate(join(dir, "ca"), () => createCertificateAuthority());
  const admin = await loadOrCreate(join(dir, "admin"), () => issueIdentity(ca, { userId: "admin", role: "admin" }));
  const peer = await loadOrCreate(join(dir, "peer"), () => issueIdentity(ca, { userId: "devpeer", role: "peer" }));
  return { ca, admin, peer };
}

// @peculiar/x509 resolves its ASN.1 schemas through tsyringe, which needs the Reflect polyfill first.
import "reflect-metadata";
import { createPrivateKey, randomBytes, webcrypto } from "node:crypto";
import { keySigner } from "@clearbook/client";
import * as x509 from "@peculiar/x509";
import { z } from "zod";
import type { Enroller } from "./enroller.js";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

export interface FabricCaOptions {
  /** e.g. `https://ca.example.org:7054` (its TLS root goes in NODE_EXTRA_CA_CERTS). */
  url: string;
  caName?: string;
  /** The registrar identity (an admin of the CA) that registers new users. */
  registrar: { certPem: string; keyPem: string };
  affiliation?: string;
  fetch?: typeof fetch;
  /** Each CA call (headers and body) must finish within this; default 10 s, so a hung CA never holds an enrollment forever. */
  timeoutMs?: number;
}

const responseSchema = z.object({
  success: z.boolean(),
  result: z.unknown(),
  errors: z.array(z.object({ code: z.number().optional(), message: z.string() })).default([]),
});

/**
 * Fabric CA's token for registrar calls: base64(cert) "." base64(ECDSA-SHA256 over
 * `METHOD.base64(path).base64(body).base64(cert)`), as fabric-ca-client computes it.
 */
export async function fabricCaToken(
  registrar: { certPem: string; keyPem: string },
  method: string,
  path: string,
  body: string,
): Promise<string> {
  const cert = Buffer.from(registrar.certPem).toString("base64");
  const payload = `${method}.${Buffer.from(path).toString("base64")}.${Buffer.from(body).toString("base64")}.${cert}`;
  // ECDSA-SHA256 over the payload with a low S (Fabric CA, like the peers, refuses high-S signatures).
  const signature = await keySigner(createPrivateKey(registrar.keyPem))(Buffer.from(payload));
  return `${cert}.${Buffer.from(signature).toString("base64")}`;
}

/**
 * Registers the user with a one-time secret and enrolls a fresh key through Fabric CA's REST API
 * (`/api/v1/register`, `/api/v1/enroll`), asking for the Clearbook attributes in the certificate.
 * Written against the documented API; not exercised against a live Fabric CA in this repository's tests.
 */
export function createFabricCaEnroller(options: FabricCaOptions): Enroller {
  const doFetch = options.fetch ?? fetch;
  const base = options.url.replace(/\/$/, "");
  const call = async (path: string, body: object, authorization: string): Promise<unknown> => {
    const text = JSON.stringify(body);
    const signal = AbortSignal.timeout(options.timeoutMs ?? 10_000);
    const response = await doFetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization },
      body: text,
      signal,
    });
    const parsed = responseSchema.safeParse(await response.json());
    if (!parsed.success) throw new Error(`Fabric CA ${path} answered ${response.status} with an unexpected body`);
    if (!parsed.data.success) {
      throw new Error(`Fabric CA ${path} refused: ${parsed.data.errors.map((e) => e.message).join("; ")}`);
    }
    return parsed.data.result;
  };

  return {
    async enroll({ userId, role }) {
      const secret = randomBytes(18).toString("base64url");
      const caname = options.caName ?? "";
      const registration = {
        id: userId,
        type: "client",
        secret,
        affiliation: options.affiliation ?? "",
        max_enrollments: 1,
        attrs: [
          { name: "clearbook.userId", value: userId, ecert: true },
          { name: "clearbook.role", value: role, ecert: true },
        ],
        caname,
      };
      const registerPath = "/api/v1/register";
      await call(
        registerPath,
        registration,
        await fabricCaToken(options.registrar, "POST", registerPath, JSON.stringify(registration)),
      );

      const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
      const csr = await x509.Pkcs10CertificateRequestGenerator.create({
        name: `CN=${userId}`,
        keys,
        signingAlgorithm: ALGORITHM,
      });
      const enrollment = {
        certificate_request: csr.toString("pem"),
        caname,
        attr_reqs: [
          { name: "clearbook.userId", optional: false },
          { name: "clearbook.role", optional: false },
        ],
      };
      const basic = `Basic ${Buffer.from(`${userId}:${secret}`).toString("base64")}`;
      const result = z.object({ Cert: z.string() }).parse(await call("/api/v1/enroll", enrollment, basic));
      const der = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey);
      return {
        certPem: Buffer.from(result.Cert, "base64").toString("utf8"),
        keyPem: x509.PemConverter.encode(der, "PRIVATE KEY"),
      };
    },
  };
}

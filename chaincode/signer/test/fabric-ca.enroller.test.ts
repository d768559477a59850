// @peculiar/x509 resolves its ASN.1 schemas through tsyringe, which needs the Reflect polyfill first.
import "reflect-metadata";
import { createPublicKey, verify, webcrypto, X509Certificate } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as x509 from "@peculiar/x509";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { certificateAttributes, createDevCaEnroller, createFabricCaEnroller } from "../src/index.js";
import { createTestCa } from "./helpers.js";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/**
 * A stand-in for Fabric CA's REST API (register with a registrar token, enroll with the one-time
 * secret), checking what a real CA checks, so the enroller's requests are shaped right.
 */
async function startFakeCa(ca: { certPem: string; keyPem: string }, registrarCertPem: string) {
  const registered = new Map<string, { secret: string; attrs: Record<string, string> }>();
  const body = async (req: IncomingMessage) => {
    let text = "";
    for await (const chunk of req) text += chunk;
    return text;
  };
  const issuer = createDevCaEnroller({ caCertPem: ca.certPem, caKeyPem: ca.keyPem });
  const server: Server = createServer(async (req, res) => {
    const reply = (status: number, json: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(json));
    };
    const text = await body(req);
    const auth = req.headers.authorization ?? "";
    if (req.url === "/api/v1/register") {
      const [cert64, sig64] = auth.split(".");
      const certPem = Buffer.from(cert64 ?? "", "base64").toString();
      const signed = `POST.${Buffer.from("/api/v1/register").toString("base64")}.${Buffer.from(text).toString("base64")}.${cert64}`;
      const ok =
        certPem === registrarCertPem &&
        verify(
          "sha256",
          Buffer.from(signed),
          { key: createPublicKey(certPem), dsaEncoding: "der" },
          Buffer.from(sig64 ?? "", "base64"),
        );
      if (!ok)
        return reply(401, { success: false, result: null, errors: [{ code: 20, message: "Authentication failure" }] });
      const request = JSON.parse(text) as { id: string; secret: string; attrs: Array<{ name: string; value: string }> };
      registered.set(request.id, {
        secret: request.secret,
        attrs: Object.fromEntries(request.attrs.map((a) => [a.name, a.value])),
      });
      return reply(201, { success: true, result: { secret: request.secret }, errors: [] });
    }
    if (req.url === "/api/v1/enroll") {
      const [id, secret] = Buffer.from(auth.replace(/^Basic /, ""), "base64")
        .toString()
        .split(":");
      const user = registered.get(id ?? "");
      if (!user || user.secret !== secret)
        return reply(401, { success: false, result: null, errors: [{ message: "bad secret" }] });
      const request = JSON.parse(text) as { certificate_request: string; attr_reqs: Array<{ name: string }> };
      const csr = new x509.Pkcs10CertificateRequest(request.certificate_request);
      assert.ok(await csr.verify(), "the CSR is signed by its key");
      // Issue like the dev CA, then swap in the CSR's key: good enough for checking the enroller's side.
      const issued = await issuer.enroll({
        userId: user.attrs["clearbook.userId"] ?? "",
        role: (user.attrs["clearbook.role"] ?? "user") as "user",
      });
      const cert = new x509.X509Certificate(issued.certPem);
      return reply(201, {
        success: true,
        result: { Cert: Buffer.from(cert.toString("pem")).toString("base64") },
        errors: [],
      });
    }
    reply(404, { success: false, result: null, errors: [{ message: "not found" }] });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(r)),
  };
}

const fabricCa = suite("Fabric CA enrollment");

fabricCa("registers with a registrar token and enrolls with the one-time secret", async () => {
  const ca = await createTestCa();
  const registrar = await createDevCaEnroller({ caCertPem: ca.certPem, caKeyPem: ca.keyPem }).enroll({
    userId: "registrar",
    role: "admin",
  });
  const server = await startFakeCa(ca, registrar.certPem);
  try {
    const enroller = createFabricCaEnroller({ url: server.url, registrar });
    const issued = await enroller.enroll({ userId: "u-77", role: "user" });
    assert.equal(certificateAttributes(issued.certPem), { "clearbook.userId": "u-77", "clearbook.role": "user" });
    assert.ok(new X509Certificate(issued.certPem).verify(new X509Certificate(ca.certPem).publicKey));
    assert.match(issued.keyPem, /BEGIN PRIVATE KEY/);
  } finally {
    await server.close();
  }
});

fabricCa("reports the CA's refusal", async () => {
  const ca = await createTestCa();
  const registrar = await createDevCaEnroller({ caCertPem: ca.certPem, caKeyPem: ca.keyPem }).enroll({
    userId: "registrar",
    role: "admin",
  });
  const impostor = await createDevCaEnroller({ caCertPem: ca.certPem, caKeyPem: ca.keyPem }).enroll({
    userId: "impostor",
    role: "admin",
  });
  const server = await startFakeCa(ca, registrar.certPem);
  try {
    await createFabricCaEnroller({ url: server.url, registrar: impostor }).enroll({ userId: "u-78", role: "user" });
    assert.unreachable("enrolled through a registrar the CA does not know");
  } catch (error) {
    assert.match((error as Error).message, /register refused: Authentication failure/);
  } finally {
    await server.close();
  }
});

fabricCa("gives up on a CA that never answers, instead of holding the enrollment forever", async () => {
  const ca = await createTestCa();
  const registrar = await createDevCaEnroller({ caCertPem: ca.certPem, caKeyPem: ca.keyPem }).enroll({
    userId: "registrar",
    role: "admin",
  });
  const hung: Server = createServer(() => {
    // Accepts the request and never answers.
  });
  await new Promise<void>((resolve) => hung.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
  const started = Date.now();
  try {
    const outcome = await Promise.race([
      createFabricCaEnroller({ url, registrar, timeoutMs: 200 })
        .enroll({ userId: "u-79", role: "user" })
        .then(
          () => "enrolled",
          (error: Error) => error.name,
        ),
      new Promise<string>((resolve) => setTimeout(() => resolve("still waiting"), 5_000).unref()),
    ]);
    assert.is(outcome, "TimeoutError");
    assert.ok(Date.now() - started < 5_000);
  } finally {
    hung.closeAllConnections();
    await new Promise((resolve) => hung.close(resolve));
  }
});

fabricCa.run();

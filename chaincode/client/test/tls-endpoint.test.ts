// @peculiar/x509 resolves its ASN.1 schemas through tsyringe, which needs the Reflect polyfill first.
import "reflect-metadata";
import { generateKeyPairSync, randomBytes, webcrypto } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { gateway, peer } from "@hyperledger/fabric-protos";
import * as x509 from "@peculiar/x509";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createChainClient, decodeResult, identityOf, loadConnectionProfile, privateKeySigner } from "../src/index.js";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

/** A TLS root and a server certificate for `peer0.example.org` (not the address we dial). */
async function tlsMaterial() {
  const rootKeys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01",
    name: "CN=tls-root, O=Example",
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    signingAlgorithm: ALGORITHM,
    keys: rootKeys,
    extensions: [new x509.BasicConstraintsExtension(true, 1, true)],
  });
  const serverKeys = (await webcrypto.subtle.generateKey(ALGORITHM, true, [
    "sign",
    "verify",
  ])) as webcrypto.CryptoKeyPair;
  const server = await x509.X509CertificateGenerator.create({
    serialNumber: randomBytes(8).toString("hex").replace(/^./, "2"),
    subject: "CN=peer0.example.org",
    issuer: root.subject,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    signingAlgorithm: ALGORITHM,
    publicKey: serverKeys.publicKey,
    signingKey: rootKeys.privateKey,
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: "dns", value: "peer0.example.org" }])],
  });
  const keyPem = x509.PemConverter.encode(
    await webcrypto.subtle.exportKey("pkcs8", serverKeys.privateKey),
    "PRIVATE KEY",
  );
  return { rootPem: root.toString("pem"), certPem: server.toString("pem"), keyPem };
}

/** A gRPC server over TLS that answers Evaluate the way a Fabric gateway peer does. */
async function startTlsPeer(material: Awaited<ReturnType<typeof tlsMaterial>>) {
  const server = new grpc.Server();
  const unimplemented = (_call: unknown, callback: grpc.sendUnaryData<never>) =>
    callback({ code: grpc.status.UNIMPLEMENTED, details: "not in this test" } as grpc.ServiceError);
  server.addService(gateway.GatewayService, {
    evaluate: (_call: unknown, callback: grpc.sendUnaryData<gateway.EvaluateResponse>) => {
      const result = new peer.Response();
      result.setStatus(200);
      result.setPayload(new TextEncoder().encode(JSON.stringify({ over: "tls" })));
      const response = new gateway.EvaluateResponse();
      response.setResult(result);
      callback(null, response);
    },
    endorse: unimplemented,
    submit: unimplemented,
    commitStatus: unimplemented,
    chaincodeEvents: (call: grpc.ServerWritableStream<unknown, unknown>) => call.end(),
  });
  const credentials = grpc.ServerCredentials.createSsl(
    Buffer.from(material.rootPem),
    [{ private_key: Buffer.from(material.keyPem), cert_chain: Buffer.from(material.certPem) }],
    false,
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", credentials, (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { port, stop: () => server.forceShutdown() };
}

const tls = suite("TLS endpoints of a real network");

tls("evaluates over TLS, checking the peer's name against the profile's override", async () => {
  const dir = await mkdtemp(join(tmpdir(), "clearbook-client-tls-"));
  const material = await tlsMaterial();
  const peerServer = await startTlsPeer(material);
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const reader = {
    identity: identityOf(
      "ClearbookMSP",
      "-----BEGIN CERTIFICATE-----\nnot checked by this stand-in\n-----END CERTIFICATE-----\n",
    ),
    sign: privateKeySigner(privateKey.export({ format: "pem", type: "pkcs8" }).toString()),
  };
  try {
    await writeFile(join(dir, "tls-root.pem"), material.rootPem);
    const write = (name: string, value: object) => writeFile(join(dir, name), JSON.stringify(value));
    await write("network.json", {
      endpoints: [{ address: `127.0.0.1:${peerServer.port}`, tlsHostnameOverride: "peer0.example.org" }],
      tls: true,
      tlsRootCertPath: "tls-root.pem",
      channel: "clearbook",
      chaincode: "clearbook",
      mspId: "ClearbookMSP",
    });
    const chain = createChainClient({ profile: await loadConnectionProfile(join(dir, "network.json")), reader });
    try {
      assert.equal(decodeResult(await chain.evaluate("token:GetSupply", [])), { over: "tls" });
    } finally {
      chain.dispose();
    }

    await write("wrong-name.json", {
      endpoints: [{ address: `127.0.0.1:${peerServer.port}`, tlsHostnameOverride: "peer9.example.org" }],
      tls: true,
      tlsRootCertPath: "tls-root.pem",
      channel: "clearbook",
      chaincode: "clearbook",
      mspId: "ClearbookMSP",
    });
    const impostor = createChainClient({
      profile: await loadConnectionProfile(join(dir, "wrong-name.json")),
      reader,
      timeouts: { evaluateMs: 2_000 },
    });
    try {
      await impostor.evaluate("token:GetSupply", []);
      assert.unreachable("accepted a certificate for another name");
    } catch (error) {
      assert.match((error as Error).message, /UNAVAILABLE|DEADLINE/);
    } finally {
      impostor.dispose();
    }
  } finally {
    peerServer.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

tls.run();

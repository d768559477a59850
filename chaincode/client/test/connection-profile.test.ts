import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { defaultConnectionProfilePath, loadConnectionProfile, parseConnectionProfile } from "../src/index.js";

const profile = suite("connection profile");

const devpeer = {
  endpoint: "127.0.0.1:7051",
  tls: false,
  tlsRootCertPath: null,
  channel: "clearbook",
  chaincode: "clearbook",
  mspId: "ClearbookMSP",
  admin: { certPath: "/data/admin.pem", keyPath: "/data/admin.key" },
  ca: { certPath: "/data/ca.pem", keyPath: "/data/ca.key" },
};

profile("reads the devpeer's single endpoint as a list of one", () => {
  const parsed = parseConnectionProfile(devpeer);
  assert.equal(parsed.endpoints, [{ address: "127.0.0.1:7051" }]);
  assert.is(parsed.channel, "clearbook");
  assert.is(parsed.tls, false);
  assert.equal(parsed.ca, { certPath: "/data/ca.pem", keyPath: "/data/ca.key" });
});

profile("takes several TLS endpoints of a real network, resolving relative paths", () => {
  const parsed = parseConnectionProfile(
    {
      endpoints: ["peer0.example.org:7051", { address: "10.0.0.2:7051", tlsHostnameOverride: "peer1.example.org" }],
      tls: true,
      tlsRootCertPath: "tls/ca.pem",
      channel: "clearbook",
      chaincode: "clearbook",
      mspId: "ClearbookMSP",
    },
    "/etc/clearbook",
  );
  assert.equal(parsed.endpoints, [
    { address: "peer0.example.org:7051" },
    { address: "10.0.0.2:7051", tlsHostnameOverride: "peer1.example.org" },
  ]);
  assert.is(parsed.tlsRootCertPath, "/etc/clearbook/tls/ca.pem");
  assert.is(parsed.admin, null);
  assert.is(parsed.ca, null);
});

profile("lists every problem of a broken profile", () => {
  try {
    parseConnectionProfile({ tls: true, channel: "", mspId: "ClearbookMSP" });
    assert.unreachable("should have thrown");
  } catch (error) {
    const message = (error as Error).message;
    assert.match(message, /channel/);
    assert.match(message, /chaincode/);
  }
});

profile("defaults to the devpeer's file under the repository's data directory", () => {
  assert.match(defaultConnectionProfilePath(), /\/\.data\/devpeer\/connection\.json$/);
  assert.is(defaultConnectionProfilePath("/srv/data"), "/srv/data/devpeer/connection.json");
});

profile("loads a profile file and says which file is missing", async () => {
  const dir = await mkdtemp(join(tmpdir(), "clearbook-client-"));
  try {
    const path = join(dir, "connection.json");
    await writeFile(path, JSON.stringify(devpeer));
    assert.is((await loadConnectionProfile(path)).mspId, "ClearbookMSP");
    try {
      await loadConnectionProfile(join(dir, "missing.json"));
      assert.unreachable("should have thrown");
    } catch (error) {
      assert.match((error as Error).message, /missing\.json/);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

profile.run();

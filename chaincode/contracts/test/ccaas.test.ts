import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { buildCcaasPackage } from "../src/ccaas/ccaas-package.js";

const packageRoot = resolve(__dirname, "../..");

const ccaas = suite("chaincode as a service");

ccaas("builds the ccaas package a peer installs: metadata.json and code.tar.gz with connection.json", () => {
  const pkg = buildCcaasPackage({ label: "clearbook_0.1.0", address: "127.0.0.1:9999" });
  assert.equal(pkg.metadata, JSON.parse(readFileSync(join(packageRoot, "ccaas/metadata.json"), "utf8")));
  assert.equal(pkg.connection, JSON.parse(readFileSync(join(packageRoot, "ccaas/connection.json"), "utf8")));
  const dir = mkdtempSync(join(tmpdir(), "clearbook-ccaas-"));
  try {
    writeFileSync(join(dir, "pkg.tgz"), pkg.tgz);
    const outer = spawnSync("tar", ["-xzf", "pkg.tgz"], { cwd: dir, timeout: 10_000 });
    assert.is(outer.status, 0, outer.stderr?.toString());
    assert.equal(JSON.parse(readFileSync(join(dir, "metadata.json"), "utf8")), pkg.metadata);
    const inner = spawnSync("tar", ["-xzOf", "code.tar.gz", "connection.json"], { cwd: dir, timeout: 10_000 });
    assert.is(inner.status, 0, inner.stderr?.toString());
    assert.equal(JSON.parse(inner.stdout.toString("utf8")), pkg.connection);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

ccaas("gives the same bytes and package id for the same inputs", () => {
  const a = buildCcaasPackage({ label: "clearbook_0.1.0", address: "cc.example:7052", tlsRequired: true });
  const b = buildCcaasPackage({ label: "clearbook_0.1.0", address: "cc.example:7052", tlsRequired: true });
  assert.is(a.packageId, b.packageId);
  assert.match(a.packageId, /^clearbook_0\.1\.0:[0-9a-f]{64}$/);
  assert.is.not(a.packageId, buildCcaasPackage({ label: "clearbook_0.1.0", address: "127.0.0.1:9999" }).packageId);
});

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("no port")),
      );
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = new Socket();
    socket.setTimeout(500);
    socket.once("connect", () => {
      socket.destroy();
      done(true);
    });
    socket.once("error", () => done(false));
    socket.once("timeout", () => {
      socket.destroy();
      done(false);
    });
    socket.connect(port, "127.0.0.1");
  });
}

ccaas("fabric-chaincode-node server loads the package's contracts and listens for the peer", async () => {
  const port = await freePort();
  const cli = require.resolve("fabric-shim/cli.js");
  const child = spawn(
    process.execPath,
    [cli, "server", `--chaincode-address=127.0.0.1:${port}`, "--chaincode-id=clearbook_0.1.0:test"],
    {
      cwd: packageRoot,
      env: { ...process.env, CORE_CHAINCODE_LOGGING_LEVEL: "ERROR" },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  try {
    const deadline = Date.now() + 15_000;
    let listening = false;
    while (!listening && Date.now() < deadline && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 200));
      listening = await canConnect(port);
    }
    assert.ok(listening, `server did not listen on ${port}: ${stderr}`);
  } finally {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
});

ccaas.run();

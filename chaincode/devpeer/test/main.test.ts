import { type ChildProcess, spawn } from "node:child_process";
import { createPrivateKey } from "node:crypto";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import { connect, signers } from "@hyperledger/fabric-gateway";
import { common } from "@hyperledger/fabric-protos";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { ConnectionProfile } from "../src/index.js";
import { removeDir, within } from "./helpers.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

function start(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: packageDir,
    env: { ...process.env, NODE_OPTIONS: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  await within(
    30_000,
    (async () => {
      while (!check()) await new Promise((resolve) => setTimeout(resolve, 50));
    })(),
    what,
  );
}

const test = suite("main");

test("`npm run devpeer` serves a chain any program can reach from connection.json alone, and stops on SIGTERM", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "clearbook-devpeer-main-"));
  const { child, output, exited } = start({ CLEARBOOK_DATA_DIR: dataDir, DEVPEER_PORT: "15151" });
  try {
    await waitFor(() => output().includes("devpeer serving"), "start line").catch((error: unknown) => {
      throw new Error(`${(error as Error).message}; output so far:\n${output()}`);
    });
    const profile = JSON.parse(
      await readFile(join(dataDir, "devpeer", "connection.json"), "utf8"),
    ) as ConnectionProfile;
    assert.is(profile.endpoint, "127.0.0.1:15151");
    assert.is(profile.channel, "clearbook");
    const client = new grpc.Client(profile.endpoint, grpc.credentials.createInsecure());
    const gateway = connect({
      client,
      identity: { mspId: profile.mspId, credentials: await readFile(profile.admin.certPath) },
      signer: signers.newPrivateKeySigner(createPrivateKey(await readFile(profile.admin.keyPath))),
    });
    try {
      const info = common.BlockchainInfo.deserializeBinary(
        await gateway
          .getNetwork(profile.channel)
          .getContract("qscc")
          .evaluateTransaction("GetChainInfo", profile.channel),
      );
      assert.is(info.getHeight(), 1);
    } finally {
      gateway.close();
      client.close();
    }
    child.kill("SIGTERM");
    assert.is(await within(10_000, exited, "exit"), 0);
    assert.match(output(), "devpeer stopped");
  } finally {
    child.kill("SIGKILL");
    await removeDir(dataDir);
  }
});

test("a bad environment is reported variable by variable and exits 1", async () => {
  const { output, exited } = start({ DEVPEER_PORT: "seventy", DEVPEER_BATCH_SIZE: "0" });
  assert.is(await within(30_000, exited, "exit"), 1);
  assert.match(output(), "DEVPEER_PORT");
  assert.match(output(), "DEVPEER_BATCH_SIZE");
});

test.run();

import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ChainClient,
  createChainClient,
  identityOf,
  isRetryable,
  loadConnectionProfile,
  privateKeySigner,
  type SigningIdentity,
} from "@clearbook/client";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type FabricNetwork, findFabric, startNetworkRetrying, waitUntilServing } from "../src/index.js";

interface Context {
  /** uvu reports nothing when a `before` hook throws: the test rethrows it. */
  startError?: unknown;
  dir: string;
  network: FabricNetwork;
  chain: ChainClient;
  admin: SigningIdentity;
}

const ha = suite<Context>("ops/fabric --ha: three Raft orderers, two organizations");
const fabric = findFabric();

if ("missing" in fabric) {
  if (process.env.CI) throw new Error(`CI must run the Fabric network tests, but: ${fabric.missing.join("; ")}`);
  process.stderr.write(
    `\n${"!".repeat(100)}\n!! SKIPPING the real Fabric network test: ${fabric.missing.join("; ")}\n${"!".repeat(100)}\n\n`,
  );
  ha.skip("keeps committing, endorsed by both organizations, while one orderer is down", () => {});
} else {
  const { found } = fabric;
  ha.before(async (context) => {
    try {
      context.dir = await mkdtemp(join(tmpdir(), "clearbook-fabric-ha-"));
      context.network = await startNetworkRetrying({
        dir: context.dir,
        fabric: found,
        shape: "ha",
        batchTimeoutMs: 50,
        // Only a failed attempt says anything, so a flaky start leaves its reason in the CI log.
        log: (line) => {
          if (line.startsWith("start failed")) process.stderr.write(`ops/fabric --ha: ${line}\n`);
        },
      });
      await waitUntilServing(context.network.profilePath);
      const profile = await loadConnectionProfile(context.network.profilePath);
      context.admin = {
        identity: identityOf(profile.mspId, await readFile(profile.admin?.certPath ?? "", "utf8")),
        sign: privateKeySigner(await readFile(profile.admin?.keyPath ?? "", "utf8")),
      };
      context.chain = createChainClient({ profile, reader: context.admin });
    } catch (error) {
      context.startError = error;
    }
  });

  ha.after(async ({ chain, network, dir }) => {
    chain?.dispose();
    await network?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  ha("keeps committing, endorsed by both organizations, while one orderer is down", async (context) => {
    // Rethrown as an Error with a message: uvu swallows a failure it cannot format, and reports 0 / 1.
    if (context.startError) {
      const error = context.startError;
      throw error instanceof Error ? error : new Error(`the network did not start: ${String(error)}`);
    }
    const { chain, admin, network } = context;
    const before = await chain.submit(admin, "token:OpenAccount", ["ha-before"]);
    assert.ok(before.blockNumber > 0n);
    const processed = await chain.transactionStatus(before.txId);
    assert.is(processed.validationCode, 0);
    await network.kill("orderer2");
    // If orderer2 led the Raft cluster, the other two elect a leader and the peer moves its block
    // delivery to another orderer: calls in that window fail as transient, and a caller (the signer)
    // tries again, as here, within a deadline.
    const deadline = Date.now() + 45_000;
    for (let i = 0; i < 3; i++) {
      for (;;) {
        try {
          const after = await chain.submit(admin, "token:OpenAccount", [`ha-after-${i}`]);
          assert.ok(after.blockNumber > before.blockNumber);
          break;
        } catch (error) {
          if (!isRetryable(error) || Date.now() > deadline) throw error;
        }
      }
    }
  });
}

ha.run();

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDevpeer } from "@clearbook/devpeer";
import { AppError, ErrorCode } from "@clearbook/kit";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  CHAIN_MISCONFIGURED,
  type ChainClient,
  createChainClient,
  decodeResult,
  parseConnectionProfile,
  type SigningIdentity,
  toChainError,
} from "../src/index.js";
import { adminOf, startDevpeer, userOf } from "./devpeer.helpers.js";

// The four answers where Fabric and an earlier devpeer differed (issue 17), through the client.

type Context = {
  devpeer: Awaited<ReturnType<typeof startDevpeer>>;
  chain: ChainClient;
  admin: SigningIdentity;
};
const answers = suite<Context>("the client's reading of Fabric's answers");

answers.before(async (context) => {
  context.devpeer = await startDevpeer();
  context.admin = adminOf(context.devpeer);
  context.chain = createChainClient({
    profile: parseConnectionProfile(context.devpeer.connectionProfile),
    reader: context.admin,
  });
});

answers.after(async ({ chain, devpeer }) => {
  chain.dispose();
  await devpeer.cleanup();
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.unreachable("the call should have failed");
  throw new Error("unreachable");
}

function assertMisconfigured(error: unknown, name: string) {
  assert.instance(error, AppError);
  assert.is((error as AppError).code, ErrorCode.INTERNAL_SERVER_ERROR);
  assert.is((error as AppError).details.chainCode, CHAIN_MISCONFIGURED);
  assert.match((error as AppError).message, name);
}

answers("an unknown chaincode is a configuration error on evaluate and on submit", async ({ devpeer, admin }) => {
  const profile = parseConnectionProfile({ ...devpeer.connectionProfile, chaincode: "nope" });
  const chain = createChainClient({ profile, reader: admin });
  try {
    assertMisconfigured(await rejection(chain.evaluate("token:GetAccount", ["a"])), "chaincode 'nope'");
    assertMisconfigured(
      await rejection(chain.submit(admin, "token:OpenAccount", ["a"])),
      "chaincode 'nope' on channel 'clearbook'",
    );
  } finally {
    chain.dispose();
  }
});

answers(
  "an unknown channel is a configuration error, without failing over to the next peer",
  async ({ devpeer, admin }) => {
    const second = await startDevpeer();
    const profile = parseConnectionProfile({
      ...devpeer.connectionProfile,
      endpoint: undefined,
      endpoints: [devpeer.address, second.address],
      channel: "elsewhere",
    });
    const chain = createChainClient({ profile, reader: admin });
    try {
      assertMisconfigured(await rejection(chain.evaluate("token:GetAccount", ["a"])), "channel 'elsewhere'");
      assertMisconfigured(await rejection(chain.submit(admin, "token:OpenAccount", ["a"])), "channel 'elsewhere'");
      assertMisconfigured(await rejection(chain.transactionStatus("0".repeat(64))), "channel 'elsewhere'");
      const events = await chain.chaincodeEvents();
      const streamed = await rejection(events[Symbol.asyncIterator]().next());
      events.close();
      assertMisconfigured(toChainError(streamed), "channel 'elsewhere'");
    } finally {
      chain.dispose();
      await second.cleanup();
    }
  },
);

answers(
  "re-endorsing a committed proposal reports the committed transaction instead of failing",
  async ({ chain, devpeer }) => {
    const alice = await userOf(devpeer, "alice-dup");
    const { txId, proposalBytes } = chain.prepareProposal({
      identity: alice.signer.identity,
      transaction: "token:OpenAccount",
      args: ["alice-dup-wallet"],
    });
    const first = await chain.signAndSubmit(proposalBytes, alice.signer);
    const again = await chain.signAndSubmit(proposalBytes, alice.signer);
    assert.is(again.txId, txId);
    assert.is(again.blockNumber, first.blockNumber);
    assert.equal(decodeResult(again.result), decodeResult(first.result));
  },
);

answers("calls the peer refuses over its concurrency limit are sent again until they get through", async () => {
  const dir = await mkdtemp(join(tmpdir(), "clearbook-client-limit-"));
  const devpeer = await createDevpeer({ dir, port: 0, gatewayConcurrencyLimit: 4 });
  const admin = adminOf(devpeer);
  const chain = createChainClient({ profile: parseConnectionProfile(devpeer.connectionProfile), reader: admin });
  try {
    const users = await Promise.all(Array.from({ length: 40 }, (_, i) => userOf(devpeer, `crowd-${i}`)));
    await chain.submit(admin, "token:OpenAccount", ["crowd-reads"]);
    // 40 submissions and 40 reads at once against room for 4: without resending, most fail for good.
    const results = await Promise.allSettled([
      ...users.map((user, i) => chain.submit(user.signer, "token:OpenAccount", [`crowd-wallet-${i}`])),
      ...users.map(() => chain.evaluate("token:GetAccount", ["crowd-reads"])),
    ]);
    const failed = results
      .filter((r) => r.status === "rejected")
      .map((r) => String((r as PromiseRejectedResult).reason));
    assert.equal(failed, []);
  } finally {
    chain.dispose();
    await devpeer.dispose();
    await rm(dir, { recursive: true, force: true });
  }
});

answers.run();

import { AppError, ErrorCode } from "@clearbook/kit";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  type ChainClient,
  createChainClient,
  createTypedChain,
  decodeResult,
  inspectProposal,
  parseConnectionProfile,
  type SigningIdentity,
} from "../src/index.js";
import { adminOf, startDevpeer, strangerOf, userOf } from "./devpeer.helpers.js";

type Context = {
  devpeer: Awaited<ReturnType<typeof startDevpeer>>;
  chain: ChainClient;
  admin: SigningIdentity;
  alice: Awaited<ReturnType<typeof userOf>>;
  envelope?: Uint8Array;
  committedTxId?: string;
};
const client = suite<Context>("chain client against the devpeer");

client.before(async (context) => {
  context.devpeer = await startDevpeer();
  context.admin = adminOf(context.devpeer);
  context.alice = await userOf(context.devpeer, "alice");
  context.chain = createChainClient({
    profile: parseConnectionProfile(context.devpeer.connectionProfile),
    reader: context.admin,
  });
});

client.after(async ({ chain, devpeer }) => {
  chain.dispose();
  await devpeer.cleanup();
});

const balanceOf = async (chain: ChainClient, address: string) =>
  BigInt((decodeResult(await chain.evaluate("token:GetAccount", [address])) as { balance: string }).balance);

client("commits under the transaction id fixed when the proposal was prepared", async (context) => {
  const { chain, alice } = context;
  const prepared = chain.prepareProposal({
    identity: alice.signer.identity,
    transaction: "token:OpenAccount",
    args: ["alice-wallet"],
  });
  assert.match(prepared.txId, /^[0-9a-f]{64}$/);
  const { certBytes, timestampMs, ...summary } = inspectProposal(prepared.proposalBytes);
  assert.equal(new TextDecoder().decode(certBytes), alice.certPem);
  assert.ok(Math.abs((timestampMs ?? 0) - Date.now()) < 10_000, "the proposal's timestamp is now");
  assert.equal(summary, {
    txId: prepared.txId,
    channel: "clearbook",
    chaincode: "clearbook",
    mspId: "ClearbookMSP",
    certPem: alice.certPem,
    args: ["token:OpenAccount", "alice-wallet"],
  });
  let signed: { txId: string; envelope: Uint8Array } | undefined;
  const committed = await chain.signAndSubmit(prepared.proposalBytes, alice.signer, {
    onSigned: async (s) => {
      signed = s;
    },
  });
  assert.is(committed.txId, prepared.txId);
  assert.is(signed?.txId, prepared.txId, "the envelope is handed over before it is sent");
  assert.ok(committed.blockNumber > 0n);
  assert.equal((decodeResult(committed.result) as { owner: string }).owner, "alice");
  context.envelope = signed?.envelope;
  context.committedTxId = committed.txId;
});

client(
  "reports the first outcome when a committed envelope is sent again",
  async ({ chain, alice, envelope, committedTxId }) => {
    assert.ok(envelope);
    const again = await chain.resubmit(envelope as Uint8Array, alice.signer);
    assert.is(again.txId, committedTxId);
    assert.equal(await chain.transactionStatus(committedTxId ?? ""), {
      validationCode: 0,
      blockNumber: again.blockNumber,
    });
  },
);

client("turns a chaincode refusal into the coded error, with the chain's code", async ({ chain, alice }) => {
  try {
    await chain.submit(alice.signer, "token:OpenAccount", ["alice-wallet"]);
    assert.unreachable("opened the same account twice");
  } catch (error) {
    assert.instance(error, AppError);
    assert.is((error as AppError).code, ErrorCode.CONFLICT);
    assert.is((error as AppError).details.chainCode, "ALREADY_USED");
  }
  try {
    await chain.evaluate("token:GetAccount", ["nobody-wallet"]);
    assert.unreachable("found a missing account");
  } catch (error) {
    assert.is((error as AppError).code, ErrorCode.NOT_FOUND);
  }
});

client(
  "lands both of two concurrent writes to one key by re-proposing after the MVCC conflict",
  async ({ chain, admin }) => {
    const before = await balanceOf(chain, "alice-wallet");
    // Both endorse against the same balance before either is sent: one of them must lose the race.
    let signedCount = 0;
    let release: () => void = () => {};
    const bothSigned = new Promise<void>((resolve) => {
      release = resolve;
    });
    const barrier = {
      onSigned: async () => {
        signedCount += 1;
        if (signedCount === 2) release();
        if (signedCount <= 2) await bothSigned;
      },
    };
    const [a, b] = await Promise.all([
      chain.submit(admin, "token:Mint", ["mint-a", "alice-wallet", "100"], barrier),
      chain.submit(admin, "token:Mint", ["mint-b", "alice-wallet", "250"], barrier),
    ]);
    assert.is(await balanceOf(chain, "alice-wallet"), before + 350n);
    assert.is(a.attempts + b.attempts, 3, "exactly one retry");
    const retried = a.attempts === 2 ? a : b;
    assert.is(retried.txIds.length, 2);
    assert.is.not(retried.txIds[0], retried.txIds[1], "the retry is a fresh proposal");
  },
);

client("refuses a certificate from another CA as FORBIDDEN", async ({ chain }) => {
  const stranger = await strangerOf("mallory");
  try {
    await chain.submit(stranger, "token:OpenAccount", ["mallory-wallet"]);
    assert.unreachable("a stranger was endorsed");
  } catch (error) {
    assert.is((error as AppError).code, ErrorCode.FORBIDDEN);
  }
});

client("reads and prepares through the typed API with the contracts' types", async ({ chain, alice }) => {
  const typed = createTypedChain(chain);
  const account = await typed.query.token.GetAccount("alice-wallet");
  assert.is(account.owner, "alice");
  assert.is(account.address, "alice-wallet");
  const proposal = typed.proposalsFor(alice.signer.identity).token.OpenAccount("alice-typed");
  assert.equal(inspectProposal(proposal.proposalBytes).args, ["token:OpenAccount", "alice-typed"]);
  assert.is(proposal.transaction, "token:OpenAccount");
  assert.equal(proposal.args, ["alice-typed"]);
  const supply = await typed.evaluate("token:GetSupply");
  assert.ok(BigInt(supply.minted) >= 350n);
});

client(
  "learns fresh outcomes from the block stream and falls back to CommitStatus",
  async ({ chain, devpeer, admin }) => {
    const before = chain.stats();
    await chain.submit(admin, "token:OpenAccount", ["admin-wallet"]);
    assert.is(chain.stats().outcomesFromBlocks, before.outcomesFromBlocks + 1);

    const statusOnly = createChainClient({
      profile: parseConnectionProfile(devpeer.connectionProfile),
      reader: admin,
      commitWatch: "status",
    });
    try {
      const committed = await statusOnly.submit(admin, "token:OpenAccount", ["admin-savings"]);
      assert.ok(committed.blockNumber > 0n);
      assert.equal(statusOnly.stats(), { outcomesFromBlocks: 0, outcomesFromStatus: 1 });
    } finally {
      statusOnly.dispose();
    }
  },
);

client("moves on to the next endpoint when the first is down", async ({ devpeer, admin }) => {
  const profile = parseConnectionProfile({
    ...devpeer.connectionProfile,
    endpoint: undefined,
    endpoints: ["127.0.0.1:15201", devpeer.address],
  });
  const failover = createChainClient({ profile, reader: admin, timeouts: { evaluateMs: 2_000 } });
  try {
    const account = decodeResult(await failover.evaluate("token:GetAccount", ["alice-wallet"])) as { owner: string };
    assert.is(account.owner, "alice");
    assert.is(failover.profile.endpoints.length, 2);
  } finally {
    failover.dispose();
  }
});

client.run();

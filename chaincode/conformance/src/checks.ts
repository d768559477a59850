import { randomBytes } from "node:crypto";
import {
  CHAIN_MISCONFIGURED,
  type ChainClient,
  ChainUnavailableError,
  createChainClient,
  decodeResult,
  identityOf,
  isRetryable,
  parseConnectionProfile,
  privateKeySigner,
  toChainError,
  ValidationCode,
} from "@clearbook/client";
import { TRANSACTIONS } from "@clearbook/contracts";
import { createCertificateAuthority, issueIdentity } from "@clearbook/devpeer";
import { AppError, ErrorCode } from "@clearbook/kit";
import { createExplorerService } from "@clearbook/ledger/explorer";
import { createFabricReads } from "@clearbook/ledger/fabric-reads";
import { checkpointers, connect, GatewayError, hash } from "@hyperledger/fabric-gateway";
import { gateway as gatewayProtos, msp } from "@hyperledger/fabric-protos";
import type { Test } from "uvu";
import * as assert from "uvu/assert";
import { walkEveryContractFunction } from "./contract-walk.js";
import { runSignerCommands } from "./signer-check.js";
import { GATEWAY_LIMIT, issueUser, type Target } from "./target.js";

export interface ConformanceContext {
  target: Target;
  chain: ChainClient;
  run: string;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.unreachable("the call should have failed");
  throw new Error("unreachable");
}

/** Within `ms`, or a clear failure (streams wait for blocks). */
async function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function assertMisconfigured(error: unknown, mentions: string) {
  assert.instance(error, AppError);
  assert.is((error as AppError).details.chainCode, CHAIN_MISCONFIGURED);
  assert.match((error as AppError).message, mentions);
  assert.not.ok(isRetryable(error));
}

/**
 * Registers the conformance checks on `test`; `before` must have put the target, a chain client over
 * its profile and a run id (unique per run) in the context.
 */
export function registerChecks(test: Test<ConformanceContext>): void {
  test("every contract function answers through the project's client", async ({ target, chain, run }) => {
    const called = await walkEveryContractFunction(target, chain, run);
    const table = Object.keys(TRANSACTIONS);
    assert.equal(
      table.filter((name) => !called.has(name)),
      [],
    );
    assert.is(called.size, table.length + 1); // and fabric-contract-api's GetMetadata
  });

  test("the signer signs prepared proposals offline from its vault and publishes the outcomes", async ({
    target,
    chain,
    run,
  }) => {
    const outcomes = await runSignerCommands(target, chain, run);
    assert.equal(
      outcomes.map((o) => o.type),
      ["TransactionCommitted", "TransactionCommitted", "TransactionRejected"],
    );
  });

  test("commit status: CommitStatus calls and qscc report the block a transaction committed in", async ({
    target,
    run,
  }) => {
    const chain = createChainClient({ profile: target.profile, reader: target.admin, commitWatch: "status" });
    try {
      const user = await issueUser(target, `status-${run}`);
      const committed = await chain.submit(user.signer, "token:OpenAccount", [`status-wallet-${run}`]);
      assert.is(chain.stats().outcomesFromStatus, 1);
      const status = await chain.transactionStatus(committed.txId);
      assert.is(status.validationCode, ValidationCode.VALID);
      assert.is(status.blockNumber, committed.blockNumber);
    } finally {
      chain.dispose();
    }
  });

  test("chaincode events resume after a checkpointed transaction; block events start at block 0", async ({
    target,
    chain,
    run,
  }) => {
    const user = await issueUser(target, `events-${run}`);
    const first = await chain.submit(user.signer, "token:OpenAccount", [`events-a-${run}`]);
    const second = await chain.submit(user.signer, "token:OpenAccount", [`events-b-${run}`]);
    const checkpoint = checkpointers.inMemory();
    await checkpoint.checkpointTransaction(first.blockNumber, first.txId);
    const events = await chain.chaincodeEvents({ checkpoint });
    try {
      const next = await within(10_000, events[Symbol.asyncIterator]().next(), "the resumed chaincode event");
      assert.is(next.value?.transactionId, second.txId);
      assert.is(next.value?.eventName, "TokenAccountOpened");
    } finally {
      events.close();
    }
    const blocks = await chain.blockEvents({ startBlock: 0n });
    try {
      const iterator = blocks[Symbol.asyncIterator]();
      const genesis = await within(10_000, iterator.next(), "block 0");
      assert.is(Number(genesis.value?.getHeader()?.getNumber()), 0);
      const one = await within(10_000, iterator.next(), "block 1");
      assert.is(Number(one.value?.getHeader()?.getNumber()), 1);
    } finally {
      blocks.close();
    }
  });

  test("an MVCC read conflict is reported at commit and a fresh proposal then succeeds", async ({
    target,
    chain,
    run,
  }) => {
    const user = await issueUser(target, `mvcc-${run}`);
    const wallet = `mvcc-wallet-${run}`;
    await chain.submit(user.signer, "token:OpenAccount", [wallet]);
    await chain.submit(target.admin, "token:Mint", [`mvcc-topup-${run}`, wallet, "100"]);
    // Two transfers endorsed against the same balance before either commits: the second must conflict.
    const endpoint = target.profile.endpoints[0]?.address ?? "";
    const { client } = await rawGrpcClient(target, endpoint);
    const gateway = connect({ client, identity: user.signer.identity, signer: user.signer.sign, hash: hash.none });
    try {
      const contract = gateway.getNetwork(target.profile.channel).getContract(target.profile.chaincode);
      const other = `mvcc-other-${run}`;
      await chain.submit(user.signer, "token:OpenAccount", [other]);
      const a = await contract
        .newProposal("token:Transfer", { arguments: [`t1-${run}`, wallet, other, "10"] })
        .endorse();
      const b = await contract
        .newProposal("token:Transfer", { arguments: [`t2-${run}`, wallet, other, "10"] })
        .endorse();
      assert.is((await (await a.submit()).getStatus()).code, ValidationCode.VALID);
      assert.is((await (await b.submit()).getStatus()).code, ValidationCode.MVCC_READ_CONFLICT);
      const retried = await chain.submit(user.signer, "token:Transfer", [`t2-${run}`, wallet, other, "10"]);
      assert.is(retried.attempts, 1);
      const balance = decodeResult(await chain.evaluate("token:GetAccount", [wallet])) as { balance: string };
      assert.is(balance.balance, "80");
    } finally {
      gateway.close();
      client.close();
    }
  });

  test("a duplicated envelope and a re-endorsed proposal both report the first transaction's outcome", async ({
    target,
    chain,
    run,
  }) => {
    const user = await issueUser(target, `dup-${run}`);
    let envelope: Uint8Array | undefined;
    const { proposalBytes, txId } = chain.prepareProposal({
      identity: user.signer.identity,
      transaction: "token:OpenAccount",
      args: [`dup-wallet-${run}`],
    });
    const first = await chain.signAndSubmit(proposalBytes, user.signer, {
      onSigned: async ({ envelope: signed }) => {
        envelope = signed;
      },
    });
    assert.ok(envelope);
    const again = await chain.resubmit(envelope as Uint8Array, user.signer);
    assert.is(again.txId, txId);
    assert.is(again.blockNumber, first.blockNumber);
    const reendorsed = await chain.signAndSubmit(proposalBytes, user.signer);
    assert.is(reendorsed.txId, txId);
    assert.is(reendorsed.blockNumber, first.blockNumber);
    assert.equal(decodeResult(reendorsed.result), decodeResult(first.result));
  });

  test("the explorer reads blocks and verifyChain recomputes every hash without a mismatch", async ({ target }) => {
    const reads = await createFabricReads(target.profile);
    try {
      const explorer = createExplorerService({ reads });
      const latest = await explorer.blocks(3);
      assert.ok(latest.length >= 1);
      assert.ok((await explorer.block(0)) !== null);
      const verification = await explorer.verify(null, null);
      assert.ok(verification.ok, `first bad block ${verification.firstBadBlock}`);
      assert.ok(verification.checkedBlocks >= 10);
    } finally {
      reads.dispose();
    }
  });

  test("error codes: unknown chaincode and channel are configuration errors, a stranger is FORBIDDEN", async ({
    target,
  }) => {
    const profileWith = (change: object) =>
      parseConnectionProfile({
        ...target.profile,
        endpoints: target.profile.endpoints,
        tlsClient: null,
        admin: null,
        ca: null,
        ...change,
      });
    const noChaincode = createChainClient({ profile: profileWith({ chaincode: "nope" }), reader: target.admin });
    const noChannel = createChainClient({ profile: profileWith({ channel: "elsewhere" }), reader: target.admin });
    try {
      assertMisconfigured(await rejection(noChaincode.evaluate("token:GetSupply", [])), "chaincode 'nope'");
      assertMisconfigured(
        await rejection(noChaincode.submit(target.admin, "token:OpenAccount", ["x"])),
        "chaincode 'nope'",
      );
      assertMisconfigured(await rejection(noChannel.evaluate("token:GetSupply", [])), "channel 'elsewhere'");
      assertMisconfigured(
        await rejection(noChannel.submit(target.admin, "token:OpenAccount", ["x"])),
        "channel 'elsewhere'",
      );
      const events = await noChannel.chaincodeEvents();
      const streamed = await rejection(within(10_000, events[Symbol.asyncIterator]().next(), "events error"));
      events.close();
      assertMisconfigured(toChainError(streamed), "channel 'elsewhere'");
    } finally {
      noChaincode.dispose();
      noChannel.dispose();
    }
    const strangerCa = await createCertificateAuthority({ commonName: "stranger-ca" });
    const issued = await issueIdentity(strangerCa, { userId: "stranger", role: "user" });
    const stranger = {
      identity: identityOf(target.profile.mspId, issued.certificatePem),
      sign: privateKeySigner(issued.privateKeyPem),
    };
    const chain = createChainClient({ profile: target.profile, reader: stranger });
    try {
      const refused = await rejection(chain.evaluate("token:GetSupply", []));
      assert.is((refused as AppError).code, ErrorCode.FORBIDDEN);
    } finally {
      chain.dispose();
    }
  });

  test("over the gateway concurrency limit a call is refused as back-pressure, and the client rides it out", async ({
    target,
    chain,
  }) => {
    const endpoint = target.profile.endpoints[0]?.address ?? "";
    const { client } = await rawGrpcClient(target, endpoint);
    const gateway = connect({ client, identity: target.admin.identity, signer: target.admin.sign, hash: hash.none });
    // CommitStatus calls for transactions that never come hold a slot each until their deadline. (Event
    // streams hold one too, but Fabric frees a closed stream's slot only when the channel's next block comes.)
    const holdMs = 3_000;
    const held = Array.from({ length: GATEWAY_LIMIT }, async () => {
      const request = new gatewayProtos.CommitStatusRequest();
      request.setChannelId(target.profile.channel);
      request.setTransactionId(randomBytes(32).toString("hex"));
      const creator = new msp.SerializedIdentity();
      creator.setMspid(target.admin.identity.mspId);
      creator.setIdBytes(target.admin.identity.credentials);
      request.setIdentity(creator.serializeBinary());
      const bytes = request.serializeBinary();
      const signed = new gatewayProtos.SignedCommitStatusRequest();
      signed.setRequest(bytes);
      signed.setSignature(await target.admin.sign(bytes));
      return gateway
        .newSignedCommit(signed.serializeBinary(), signed.getSignature_asU8())
        .getStatus({ deadline: Date.now() + holdMs })
        .then(
          (status) => `status ${status.code}`,
          (error: Error) => error.message.slice(0, 60),
        );
    });
    try {
      const contract = gateway.getNetwork(target.profile.channel).getContract(target.profile.chaincode);
      // grpc-js says nothing when a call has reached the server: give the held calls a moment to get there.
      await Promise.race([Promise.all(held), new Promise((resolve) => setTimeout(resolve, 300))]);
      const deadline = Date.now() + holdMs - 500;
      let refused: GatewayError | undefined;
      while (!refused && Date.now() < deadline) {
        refused = await contract.evaluateTransaction("token:GetSupply").then(
          () => undefined,
          (error: unknown) => error as GatewayError,
        );
      }
      if (!refused) {
        const ends = [...new Set(await Promise.all(held))].join(" | ");
        throw new Error(`with every slot held, a call should be refused (the held calls ended: ${ends})`);
      }
      assert.instance(refused, GatewayError);
      assert.is(refused.code, 2);
      assert.match(
        refused.message,
        `too many requests for /gateway.Gateway, exceeding concurrency limit (${GATEWAY_LIMIT})`,
      );
      assert.instance(toChainError(refused), ChainUnavailableError);
      // Sent while every slot is taken: the client resends it until the held calls time out.
      const supply = decodeResult(await within(15_000, chain.evaluate("token:GetSupply", []), "the resent call")) as {
        minted: string;
      };
      assert.ok(BigInt(supply.minted) >= 0n);
    } finally {
      await Promise.all(held);
      gateway.close();
      client.close();
    }
  });
}

/** A plain grpc-js connection to `address` with the profile's TLS settings (for unmodified fabric-gateway). */
async function rawGrpcClient(target: Target, address: string) {
  const grpc = await import("@grpc/grpc-js");
  const { readFile } = await import("node:fs/promises");
  const credentials = target.profile.tls
    ? grpc.credentials.createSsl(await readFile(target.profile.tlsRootCertPath ?? ""))
    : grpc.credentials.createInsecure();
  return { client: new grpc.Client(address, credentials) };
}

/** A random id for one run (ids on a reused ledger must not collide). */
export const newRunId = () => randomBytes(4).toString("hex");

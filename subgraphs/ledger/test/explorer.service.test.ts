import { createHash } from "node:crypto";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { ChainBlock } from "../src/chain/chain.port.js";
import { blockDataHash, blockHeaderHash } from "../src/explorer/block-hash.js";
import { createCallLimiter } from "../src/explorer/call-limiter.js";
import { createExplorerService } from "../src/explorer/explorer.service.js";
import { createTestRedis, RecordingChain } from "./helpers.js";

const test = suite("explorer and chain verification");

/** A well-formed chain of `n` blocks whose hashes link like Fabric's. */
function chainOf(n: number): ChainBlock[] {
  const blocks: ChainBlock[] = [];
  for (let i = 0; i < n; i++) {
    const data = [Buffer.from(`envelope ${i}a`), Buffer.from(`envelope ${i}b`)];
    const previous = blocks[i - 1];
    blocks.push({
      number: i,
      previousHash: previous ? blockHeaderHash(previous.number, previous.previousHash, previous.dataHash) : "",
      dataHash: blockDataHash(data),
      data,
      transactions: [
        {
          txId: `tx${i}`,
          function: "ledger:SubmitDeposit",
          validationCode: "VALID",
          creator: "ClearbookMSP",
          timestamp: null,
        },
      ],
    });
  }
  return blocks;
}

test("computes Fabric's header hash (DER sequence of number, previous hash, data hash)", () => {
  // DER: 30 46 | 02 01 05 | 04 20 <32 bytes> | 04 20 <32 bytes>
  const prev = "11".repeat(32);
  const data = "22".repeat(32);
  const der = Buffer.concat([
    Buffer.from([0x30, 0x47, 0x02, 0x01, 0x05, 0x04, 0x20]),
    Buffer.from(prev, "hex"),
    Buffer.from([0x04, 0x20]),
    Buffer.from(data, "hex"),
  ]);
  assert.is(der.length - 2, 0x47);
  assert.is(blockHeaderHash(5, prev, data), createHash("sha256").update(der).digest("hex"));
  // A number with its top bit set gets a leading zero byte, as DER requires.
  assert.is.not(blockHeaderHash(128, prev, data), blockHeaderHash(127, prev, data));
});

test("verifies an intact chain", async () => {
  const chain = new RecordingChain();
  chain.blocks.push(...chainOf(6));
  const explorer = createExplorerService({ reads: chain });
  assert.equal(await explorer.verify(null, null), { ok: true, checkedBlocks: 6, firstBadBlock: null });
  assert.equal(await explorer.verify(2, 4), { ok: true, checkedBlocks: 3, firstBadBlock: null });
});

test("reports the first block whose data was altered", async () => {
  const chain = new RecordingChain();
  chain.blocks.push(...chainOf(6));
  const tampered = chain.blocks[3] as ChainBlock;
  tampered.data[1] = Buffer.from("envelope 3b, with a different amount");
  const explorer = createExplorerService({ reads: chain });
  assert.equal(await explorer.verify(null, null), { ok: false, checkedBlocks: 4, firstBadBlock: 3 });
});

test("reports a block whose header was rewritten consistently (the next block's link breaks)", async () => {
  const chain = new RecordingChain();
  chain.blocks.push(...chainOf(6));
  const rewritten = chain.blocks[2] as ChainBlock;
  rewritten.data = [Buffer.from("forged")];
  rewritten.dataHash = blockDataHash(rewritten.data);
  const explorer = createExplorerService({ reads: chain });
  assert.equal(await explorer.verify(null, null), { ok: false, checkedBlocks: 4, firstBadBlock: 3 });
});

test("lists the last blocks newest first, each with its recomputed hash", async () => {
  const chain = new RecordingChain();
  chain.blocks.push(...chainOf(4));
  const explorer = createExplorerService({ reads: chain });
  const blocks = await explorer.blocks(2);
  assert.equal(
    blocks.map((b) => b.number),
    [3, 2],
  );
  assert.is(blocks[1]?.hash, chain.blocks[3]?.previousHash);
});

test("verifies at most 1,000 blocks per call: a longer range is refused, an open one is cut", async () => {
  const chain = new RecordingChain();
  chain.blocks.push(...chainOf(1_005));
  const explorer = createExplorerService({ reads: chain });
  assert.equal(await explorer.verify(null, null), { ok: true, checkedBlocks: 1_000, firstBadBlock: null });
  assert.equal(await explorer.verify(1_000, null), { ok: true, checkedBlocks: 5, firstBadBlock: null });
  try {
    await explorer.verify(0, 1_004);
    assert.unreachable("a range of 1,005 blocks was verified");
  } catch (error) {
    assert.is((error as { code?: string }).code, "BAD_USER_INPUT");
  }
});

test("rate limits chain verification per caller", async () => {
  const redis = await createTestRedis("verify");
  try {
    const chain = new RecordingChain();
    chain.blocks.push(...chainOf(3));
    const verifyLimiter = createCallLimiter({
      redis: redis.client,
      prefix: redis.prefix,
      perWindow: 2,
      windowSeconds: 60,
    });
    const explorer = createExplorerService({ reads: chain, verifyLimiter });
    await explorer.verify(null, null, "u1");
    await explorer.verify(null, null, "u1");
    try {
      await explorer.verify(null, null, "u1");
      assert.unreachable("a third call in the window was served");
    } catch (error) {
      assert.is((error as { code?: string }).code, "RATE_LIMITED");
    }
    assert.is((await explorer.verify(null, null, "u2")).ok, true, "another caller has its own window");
  } finally {
    await redis.dispose();
  }
});

test.run();

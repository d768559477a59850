import { createHash } from "node:crypto";
import { common, peer } from "@hyperledger/fabric-protos";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type Devpeer, TxCode } from "../src/index.js";
import { connectAs, removeDir, startDevpeer, within } from "./helpers.js";

interface Context {
  devpeer: Devpeer & { dir: string };
  admin: ReturnType<typeof connectAs>;
}

const test = suite<Context>("blocks");

test.before(async (context) => {
  context.devpeer = await startDevpeer();
  context.admin = connectAs(context.devpeer, context.devpeer.credentials.admin);
});

test.after(async (context) => {
  context.admin.close();
  await context.devpeer.dispose();
  await removeDir(context.devpeer.dir);
});

/** The ASN.1 DER header hash, computed independently of the devpeer's code (short lengths only). */
function headerHash(header: common.BlockHeader): Buffer {
  const tlv = (tag: number, bytes: Uint8Array) => Buffer.concat([Buffer.from([tag, bytes.length]), bytes]);
  let hex = header.getNumber().toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let number = Buffer.from(hex, "hex");
  if ((number[0] ?? 0) & 0x80) number = Buffer.concat([Buffer.from([0]), number]);
  const body = Buffer.concat([
    tlv(0x02, number),
    tlv(0x04, header.getPreviousHash_asU8()),
    tlv(0x04, header.getDataHash_asU8()),
  ]);
  return createHash("sha256").update(tlv(0x30, body)).digest();
}

test("block events deliver hash-chained blocks from genesis with the transaction filter", async ({ admin }) => {
  const network = admin.gateway.getNetwork("clearbook");
  const submitted = await network.getContract("clearbook").submitAsync("counter:Put", { arguments: ["b", "1"] });
  const { blockNumber } = await within(5_000, submitted.getStatus());
  const events = await network.getBlockEvents({ startBlock: 0n });
  try {
    const iterator = events[Symbol.asyncIterator]();
    const blocks: common.Block[] = [];
    for (let i = 0n; i <= blockNumber; i++) blocks.push((await within(5_000, iterator.next())).value as common.Block);
    const genesis = blocks[0] as common.Block;
    const genesisPayload = common.Payload.deserializeBinary(
      common.Envelope.deserializeBinary(genesis.getData()?.getDataList_asU8()[0] ?? new Uint8Array()).getPayload_asU8(),
    );
    const genesisHeader = common.ChannelHeader.deserializeBinary(
      genesisPayload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array(),
    );
    assert.is(genesisHeader.getType(), common.HeaderType.CONFIG);
    for (let n = 1; n < blocks.length; n++) {
      const header = blocks[n]?.getHeader() as common.BlockHeader;
      assert.is(header.getNumber(), n);
      assert.ok(
        Buffer.from(header.getPreviousHash_asU8()).equals(headerHash(blocks[n - 1]?.getHeader() as common.BlockHeader)),
      );
      const data = blocks[n]?.getData()?.getDataList_asU8() ?? [];
      assert.ok(
        Buffer.from(header.getDataHash_asU8()).equals(createHash("sha256").update(Buffer.concat(data)).digest()),
      );
    }
    const last = blocks.at(-1) as common.Block;
    const filter = last.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER];
    assert.equal([...(filter ?? [])], [TxCode.VALID]);
  } finally {
    events.close();
  }
});

test("filtered block events carry transaction ids, codes and event names", async ({ admin }) => {
  const network = admin.gateway.getNetwork("clearbook");
  const events = await network.getFilteredBlockEvents();
  try {
    const submitted = await network.getContract("clearbook").submitAsync("counter:Increment", { arguments: ["f"] });
    const block = (await within(5_000, events[Symbol.asyncIterator]().next())).value as peer.FilteredBlock;
    const tx = block.getFilteredTransactionsList()[0];
    assert.is(tx?.getTxid(), submitted.getTransactionId());
    assert.is(tx?.getTxValidationCode(), TxCode.VALID);
    assert.is(
      tx?.getTransactionActions()?.getChaincodeActionsList()[0]?.getChaincodeEvent()?.getEventName(),
      "Incremented",
    );
  } finally {
    events.close();
  }
});

test("qscc answers chain info, blocks by number and transactions by id", async ({ admin }) => {
  const network = admin.gateway.getNetwork("clearbook");
  const submitted = await network.getContract("clearbook").submitAsync("counter:Put", { arguments: ["q", "1"] });
  const { blockNumber } = await within(5_000, submitted.getStatus());
  const qscc = network.getContract("qscc");
  const info = common.BlockchainInfo.deserializeBinary(await qscc.evaluateTransaction("GetChainInfo", "clearbook"));
  assert.is(info.getHeight(), Number(blockNumber) + 1);
  const block = common.Block.deserializeBinary(
    await qscc.evaluateTransaction("GetBlockByNumber", "clearbook", String(blockNumber)),
  );
  assert.ok(Buffer.from(info.getCurrentblockhash_asU8()).equals(headerHash(block.getHeader() as common.BlockHeader)));
  const processed = peer.ProcessedTransaction.deserializeBinary(
    await qscc.evaluateTransaction("GetTransactionByID", "clearbook", submitted.getTransactionId()),
  );
  assert.is(processed.getValidationcode(), TxCode.VALID);
  try {
    await qscc.evaluateTransaction("GetBlockByNumber", "clearbook", "999");
    assert.unreachable();
  } catch (error) {
    assert.match((error as Error).message, "entry not found");
  }
});

test.run();

import type { CloseableAsyncIterable } from "@hyperledger/fabric-gateway";
import { peer } from "@hyperledger/fabric-protos";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createCommitWatcher } from "../src/commit-watcher.js";

const watcher = suite("commit watcher");

/** A stream the test feeds by hand; `fail()` ends it with an error like a dropped connection. */
function manualStream() {
  const queue: Array<peer.FilteredBlock | Error> = [];
  let wake: (() => void) | undefined;
  let closed = false;
  const stream: CloseableAsyncIterable<peer.FilteredBlock> = {
    async *[Symbol.asyncIterator]() {
      while (!closed) {
        const next = queue.shift();
        if (next instanceof Error) throw next;
        if (next) yield next;
        else await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    close() {
      closed = true;
      wake?.();
    },
    [Symbol.dispose]() {
      this.close();
    },
  };
  const push = (item: peer.FilteredBlock | Error) => {
    queue.push(item);
    wake?.();
  };
  return { stream, push };
}

function block(number: number, txs: Array<[string, number]>): peer.FilteredBlock {
  const b = new peer.FilteredBlock();
  b.setNumber(number);
  b.setFilteredTransactionsList(
    txs.map(([id, code]) => {
      const tx = new peer.FilteredTransaction();
      tx.setTxid(id);
      tx.setTxValidationCode(code as peer.TxValidationCodeMap[keyof peer.TxValidationCodeMap]);
      return tx;
    }),
  );
  return b;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

watcher("resolves a registered transaction from the block that holds it", async () => {
  const { stream, push } = manualStream();
  const opened: bigint[] = [];
  const w = createCommitWatcher({
    height: async () => 7n,
    open: async (start) => {
      opened.push(start);
      return stream;
    },
  });
  await tick();
  const { outcome } = w.expect("tx-1");
  push(
    block(7, [
      ["other", 0],
      ["tx-1", 11],
    ]),
  );
  assert.equal(await outcome, { transactionId: "tx-1", code: 11, blockNumber: 7n });
  assert.equal(opened, [7n], "starts at the height, so no later block is missed");
  w.dispose();
});

watcher("sends waiters to CommitStatus when the stream breaks, then resumes after the last block", async () => {
  const streams = [manualStream(), manualStream()];
  const opened: bigint[] = [];
  const w = createCommitWatcher({
    height: async () => 3n,
    open: async (start) => {
      opened.push(start);
      return (streams[opened.length - 1] ?? streams[1])!.stream;
    },
    retryDelayMs: 1,
  });
  await tick();
  streams[0]?.push(block(3, []));
  const { outcome } = w.expect("tx-2");
  streams[0]?.push(new Error("14 UNAVAILABLE"));
  assert.is(await outcome, undefined);
  await tick();
  assert.equal(opened, [3n, 4n]);
  w.dispose();
});

watcher("does not claim to watch before its stream is open, nor wait past its timeout", async () => {
  const { stream } = manualStream();
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const w = createCommitWatcher({
    height: async () => 0n,
    open: async () => {
      await gate;
      return stream;
    },
    timeoutMs: 20,
  });
  assert.is(await w.expect("early").outcome, undefined);
  release();
  await tick();
  assert.is(await w.expect("never-committed").outcome, undefined);
  w.dispose();
});

watcher.run();

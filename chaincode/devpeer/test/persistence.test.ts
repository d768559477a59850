import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createDevpeer, TxCode, verifyChainFiles } from "../src/index.js";
import { contracts } from "./fixtures/counter.contract.js";
import { connectAs, removeDir, startDevpeer, testRuntimePatches, utf8, within } from "./helpers.js";

const test = suite("persistence");

test("a restarted devpeer keeps its chain, state, identities and transaction index", async () => {
  const first = await startDevpeer();
  const { dir } = first;
  try {
    let admin = connectAs(first, first.credentials.admin);
    let contract = admin.gateway.getNetwork("clearbook").getContract("clearbook");
    await contract.submitTransaction("counter:Increment", "kept");
    const submitted = await contract.submitAsync("counter:Increment", { arguments: ["kept"] });
    const status = await within(5_000, submitted.getStatus());
    const height = first.height();
    admin.close();
    await first.dispose();

    const second = await startDevpeer({ dir });
    try {
      assert.is(second.height(), height);
      assert.is(second.credentials.ca.certificatePem, first.credentials.ca.certificatePem);
      admin = connectAs(second, second.credentials.admin);
      contract = admin.gateway.getNetwork("clearbook").getContract("clearbook");
      assert.is(utf8(await contract.evaluateTransaction("counter:Get", "kept")), "2");
      const again = await admin.gateway.newCommit(submitted.getBytes()).getStatus();
      assert.is(again.code, TxCode.VALID);
      assert.is(again.blockNumber, status.blockNumber);
      // The chain continues, and an MVCC check against replayed versions still works.
      assert.is(utf8(await contract.submitTransaction("counter:Increment", "kept")), "3");
      assert.equal(await second.verifyChain(), { ok: true, height: height + 1 });
      admin.close();
    } finally {
      await second.dispose();
    }
  } finally {
    await removeDir(dir);
  }
});

test("a tampered stored block is caught by verification and the devpeer refuses to start on it", async () => {
  const devpeer = await startDevpeer();
  const { dir } = devpeer;
  try {
    const admin = connectAs(devpeer, devpeer.credentials.admin);
    const contract = admin.gateway.getNetwork("clearbook").getContract("clearbook");
    await contract.submitTransaction("counter:Put", "treasury", "amount=100");
    const tampered = await contract.submitAsync("counter:Put", { arguments: ["treasury", "amount=500"] });
    const { blockNumber } = await within(5_000, tampered.getStatus());
    await contract.submitTransaction("counter:Put", "after", "x");
    admin.close();
    await devpeer.dispose();
    assert.equal(await verifyChainFiles(dir), { ok: true, height: Number(blockNumber) + 2 });

    // Rewrite history in place: same length, so the file still parses.
    const file = join(dir, "blocks.bin");
    const bytes = await readFile(file);
    const at = bytes.indexOf("amount=500");
    assert.ok(at > 0);
    bytes.write("amount=900", at);
    await writeFile(file, bytes);

    const result = await verifyChainFiles(dir);
    assert.equal(result, {
      ok: false,
      height: Number(blockNumber) + 2,
      firstBadBlock: Number(blockNumber),
      reason: "data hash does not match its transactions",
    });
    try {
      await createDevpeer({ dir, port: 0, contracts, runtimePatches: testRuntimePatches });
      assert.unreachable("must not start on a tampered chain");
    } catch (error) {
      assert.is((error as Error).name, "ChainCorruptedError");
      assert.match((error as Error).message, `block ${blockNumber}`);
    }
  } finally {
    await removeDir(dir);
  }
});

test("a transaction endorsed before a restart commits after it (the endorsement is verified, not remembered)", async () => {
  const first = await startDevpeer();
  const { dir } = first;
  try {
    let admin = connectAs(first, first.credentials.admin);
    const endorsed = await admin.gateway
      .getNetwork("clearbook")
      .getContract("clearbook")
      .newProposal("counter:Put", { arguments: ["across", "restart"] })
      .endorse();
    const prepared = endorsed.getBytes();
    admin.close();
    await first.dispose();
    const second = await startDevpeer({ dir });
    try {
      admin = connectAs(second, second.credentials.admin);
      const status = await within(5_000, (await admin.gateway.newTransaction(prepared).submit()).getStatus());
      assert.is(status.code, TxCode.VALID);
      admin.close();
    } finally {
      await second.dispose();
    }
  } finally {
    await removeDir(dir);
  }
});

test("stopping commits the block being cut and answers the waiting commit status", async () => {
  // A batch window far longer than the test: only dispose can cut this block.
  const devpeer = await startDevpeer({ batchTimeoutMs: 60_000 });
  const { dir } = devpeer;
  try {
    const admin = connectAs(devpeer, devpeer.credentials.admin);
    const submitted = await admin.gateway
      .getNetwork("clearbook")
      .getContract("clearbook")
      .submitAsync("counter:Put", { arguments: ["late", "kept"] });
    const status = submitted.getStatus();
    status.catch(() => {}); // awaited below; keeps an early failure from being reported as unhandled
    // Let the CommitStatus call reach the devpeer and wait there (the block cannot be cut before dispose).
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.is(devpeer.height(), 1);
    await devpeer.dispose();
    assert.is((await within(5_000, status, "commit status during shutdown")).code, TxCode.VALID);
    admin.close();
    const again = await startDevpeer({ dir });
    const reader = connectAs(again, again.credentials.admin);
    assert.is(
      utf8(
        await reader.gateway
          .getNetwork("clearbook")
          .getContract("clearbook")
          .evaluateTransaction("counter:Get", "late"),
      ),
      "kept",
    );
    reader.close();
    await again.dispose();
  } finally {
    await removeDir(dir);
  }
});

test("a second devpeer on the same directory is refused while the first runs; a dead holder's lock is taken over", async () => {
  const first = await startDevpeer();
  const { dir } = first;
  try {
    try {
      await startDevpeer({ dir });
      assert.unreachable("two devpeers must not share a block file");
    } catch (error) {
      assert.is((error as Error).name, "DirectoryInUseError");
    }
    await first.dispose();
    // A crashed devpeer leaves its lock behind; no process 2^22+1 runs.
    await writeFile(join(dir, "LOCK"), "4194305");
    const again = await startDevpeer({ dir });
    await again.dispose();
  } finally {
    await removeDir(dir);
  }
});

test("a torn final record from a crash mid-append is dropped at start", async () => {
  const devpeer = await startDevpeer();
  const { dir } = devpeer;
  try {
    const height = devpeer.height();
    await devpeer.dispose();
    const file = join(dir, "blocks.bin");
    const bytes = await readFile(file);
    await writeFile(file, Buffer.concat([bytes, Buffer.from([0, 0, 1, 0, 1, 2, 3])]));
    const again = await startDevpeer({ dir });
    assert.is(again.height(), height);
    await again.dispose();
    assert.equal(await verifyChainFiles(dir), { ok: true, height });
  } finally {
    await removeDir(dir);
  }
});

test.run();

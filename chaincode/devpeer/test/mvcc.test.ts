import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type Devpeer, TxCode } from "../src/index.js";
import { connectAs, removeDir, startDevpeer, utf8, within } from "./helpers.js";

interface Context {
  devpeer: Devpeer & { dir: string };
  admin: ReturnType<typeof connectAs>;
}

const test = suite<Context>("mvcc");

test.before(async (context) => {
  // A long batch window, so both transactions land in the same block.
  context.devpeer = await startDevpeer({ batchTimeoutMs: 200 });
  context.admin = connectAs(context.devpeer, context.devpeer.credentials.admin);
});

test.after(async (context) => {
  context.admin.close();
  await context.devpeer.dispose();
  await removeDir(context.devpeer.dir);
});

const contractOf = (admin: ReturnType<typeof connectAs>) =>
  admin.gateway.getNetwork("clearbook").getContract("clearbook");

test("two concurrent transactions on the same key give one VALID and one MVCC_READ_CONFLICT", async ({ admin }) => {
  const contract = contractOf(admin);
  // Both simulated against the same committed version of the key.
  const [first, second] = await Promise.all([
    contract.newProposal("counter:Increment", { arguments: ["hot"] }).endorse(),
    contract.newProposal("counter:Increment", { arguments: ["hot"] }).endorse(),
  ]);
  const submitted = await Promise.all([first.submit(), second.submit()]);
  const statuses = await within(5_000, Promise.all(submitted.map((tx) => tx.getStatus())), "commit statuses");
  assert.equal(statuses.map((status) => status.code).sort(), [TxCode.VALID, TxCode.MVCC_READ_CONFLICT]);
  assert.is(statuses[0]?.blockNumber, statuses[1]?.blockNumber, "same block: the conflict is within the block");
  assert.is(utf8(await contract.evaluateTransaction("counter:Get", "hot")), "1");
});

test("a transaction endorsed before another commit on its key conflicts across blocks", async ({ admin }) => {
  const contract = contractOf(admin);
  const stale = await contract.newProposal("counter:Increment", { arguments: ["warm"] }).endorse();
  await contract.submitTransaction("counter:Increment", "warm");
  const status = await within(5_000, (await stale.submit()).getStatus(), "stale commit");
  assert.is(status.code, TxCode.MVCC_READ_CONFLICT);
});

test("reading a key that did not exist conflicts once it is created", async ({ admin }) => {
  const contract = contractOf(admin);
  const stale = await contract.newProposal("counter:Increment", { arguments: ["fresh"] }).endorse();
  await contract.submitTransaction("counter:Put", "fresh", "41");
  assert.is((await within(5_000, (await stale.submit()).getStatus())).code, TxCode.MVCC_READ_CONFLICT);
});

test("a key inserted into a scanned range gives PHANTOM_READ_CONFLICT", async ({ admin }) => {
  const contract = contractOf(admin);
  await contract.submitTransaction("counter:Put", "ballot:1:a", "yes");
  const count = await contract.newProposal("counter:CountInto", { arguments: ["ballot:1:", "tally:1"] }).endorse();
  assert.is(utf8(count.getResult()), "1");
  await contract.submitTransaction("counter:Put", "ballot:1:b", "no");
  assert.is((await within(5_000, (await count.submit()).getStatus())).code, TxCode.PHANTOM_READ_CONFLICT);
});

test("writes to distinct keys in one block are all valid", async ({ admin }) => {
  const contract = contractOf(admin);
  const endorsed = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      contract.newProposal("counter:Increment", { arguments: [`vote:${i}`] }).endorse(),
    ),
  );
  const statuses = await within(
    5_000,
    Promise.all((await Promise.all(endorsed.map((tx) => tx.submit()))).map((tx) => tx.getStatus())),
  );
  assert.ok(statuses.every((status) => status.code === TxCode.VALID));
  assert.is(new Set(statuses.map((status) => status.blockNumber)).size, 1);
});

test.run();

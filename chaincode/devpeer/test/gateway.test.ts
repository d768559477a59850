import { checkpointers, EndorseError, GatewayError } from "@hyperledger/fabric-gateway";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type Devpeer, IdentityRole, issueIdentity } from "../src/index.js";
import { connectAs, removeDir, startDevpeer, utf8, within } from "./helpers.js";

interface Context {
  devpeer: Devpeer & { dir: string };
  admin: ReturnType<typeof connectAs>;
}

const test = suite<Context>("gateway");

test.before(async (context) => {
  context.devpeer = await startDevpeer();
  context.admin = connectAs(context.devpeer, context.devpeer.credentials.admin);
});

test.after(async (context) => {
  context.admin.close();
  await context.devpeer.dispose();
  await removeDir(context.devpeer.dir);
});

test("a submitted transaction commits and its chaincode event arrives", async ({ admin }) => {
  const network = admin.gateway.getNetwork("clearbook");
  const contract = network.getContract("clearbook");
  const events = await network.getChaincodeEvents("clearbook");
  try {
    const submitted = await contract.submitAsync("counter:Increment", { arguments: ["votes"] });
    assert.is(utf8(submitted.getResult()), "1");
    const status = await within(5_000, submitted.getStatus(), "commit status");
    assert.ok(status.successful);
    assert.is(status.code, 0);
    const next = await within(5_000, events[Symbol.asyncIterator]().next(), "chaincode event");
    assert.is(next.value?.eventName, "Incremented");
    assert.is(next.value?.transactionId, submitted.getTransactionId());
    assert.is(next.value?.blockNumber, status.blockNumber);
    assert.equal(JSON.parse(utf8(next.value?.payload ?? new Uint8Array())), { key: "votes", count: "1" });
  } finally {
    events.close();
  }
  assert.is(utf8(await contract.evaluateTransaction("counter:Get", "votes")), "1");
});

test("chaincode events resume after a checkpointed transaction", async ({ admin }) => {
  const network = admin.gateway.getNetwork("clearbook");
  const contract = network.getContract("clearbook");
  const first = await contract.submitAsync("counter:Increment", { arguments: ["resume"] });
  const firstStatus = await within(5_000, first.getStatus());
  const second = await contract.submitAsync("counter:Increment", { arguments: ["resume"] });
  await within(5_000, second.getStatus());
  const checkpointer = checkpointers.inMemory();
  await checkpointer.checkpointTransaction(firstStatus.blockNumber, first.getTransactionId());
  const events = await network.getChaincodeEvents("clearbook", { checkpoint: checkpointer });
  try {
    const next = await within(5_000, events[Symbol.asyncIterator]().next(), "resumed event");
    assert.is(next.value?.transactionId, second.getTransactionId());
  } finally {
    events.close();
  }
});

test("chaincode reads the caller's clearbook attributes from the dev CA certificate", async ({ admin }) => {
  const result = await admin.gateway
    .getNetwork("clearbook")
    .getContract("clearbook")
    .evaluateTransaction("counter:WhoAmI");
  assert.equal(JSON.parse(utf8(result)), { mspId: "ClearbookMSP", userId: "admin", role: "admin" });
});

test("each caller sees its own attributes, however often and in whatever order they call", async ({
  devpeer,
  admin,
}) => {
  const member = connectAs(
    devpeer,
    await issueIdentity(devpeer.credentials.ca, { userId: "u-7", role: IdentityRole.USER }),
  );
  const whoAmI = async (caller: typeof admin) =>
    JSON.parse(
      utf8(await caller.gateway.getNetwork("clearbook").getContract("clearbook").evaluateTransaction("counter:WhoAmI")),
    );
  try {
    for (let round = 0; round < 2; round++) {
      assert.equal(await whoAmI(member), { mspId: "ClearbookMSP", userId: "u-7", role: "user" });
      assert.equal(await whoAmI(admin), { mspId: "ClearbookMSP", userId: "admin", role: "admin" });
    }
  } finally {
    member.close();
  }
});

test("a chaincode error reaches the client with the contract's code in its message", async ({ admin }) => {
  const contract = admin.gateway.getNetwork("clearbook").getContract("clearbook");
  try {
    await contract.submitTransaction("counter:Fail", "NOT_FOUND", "no such ballot");
    assert.unreachable("submit should fail");
  } catch (error) {
    assert.instance(error, EndorseError);
    const endorseError = error as EndorseError;
    assert.is(endorseError.code, 10); // ABORTED, as Fabric's gateway reports every endorsement failure
    assert.match(endorseError.details[0]?.message ?? "", "chaincode response 500, NOT_FOUND: no such ballot");
  }
  try {
    await contract.evaluateTransaction("counter:Fail", "BALLOT_CLOSED", "too late");
    assert.unreachable("evaluate should fail");
  } catch (error) {
    assert.instance(error, GatewayError);
    assert.is((error as GatewayError).code, 2); // UNKNOWN: a chaincode error on evaluate
    assert.match((error as GatewayError).message, "BALLOT_CLOSED: too late");
  }
});

/** The error a call fails with (the test fails if it succeeds). */
async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, GatewayError);
    return error as GatewayError;
  }
  assert.unreachable("the call should have failed");
  throw new Error("unreachable");
}

test("an unknown chaincode is FAILED_PRECONDITION with Fabric's wording on evaluate and endorse", async ({ admin }) => {
  const contract = admin.gateway.getNetwork("clearbook").getContract("nope");
  const evaluated = await failure(contract.evaluateTransaction("anything"));
  assert.is(evaluated.code, 9);
  assert.match(evaluated.message, "no peers available to evaluate chaincode nope in channel clearbook");
  const endorsed = await failure(contract.submitTransaction("anything"));
  assert.is(endorsed.code, 9);
  assert.match(endorsed.message, "no combination of peers can be derived which satisfy the endorsement policy");
});

test("an unknown channel is UNAVAILABLE on evaluate, FAILED_PRECONDITION on endorse, PERMISSION_DENIED on events (as on Fabric)", async ({
  admin,
}) => {
  const network = admin.gateway.getNetwork("elsewhere");
  const contract = network.getContract("clearbook");
  const evaluated = await failure(contract.evaluateTransaction("counter:Get", "x"));
  assert.is(evaluated.code, 14);
  assert.match(evaluated.message, "failed to get config for channel [elsewhere]");
  const endorsed = await failure(contract.submitTransaction("counter:Get", "x"));
  assert.is(endorsed.code, 9);
  assert.match(endorsed.message, "No metadata was found for chaincode clearbook in channel elsewhere");
  const events = await network.getChaincodeEvents("clearbook");
  const error = await failure(within(5_000, events[Symbol.asyncIterator]().next(), "events error"));
  events.close();
  assert.is(error.code, 7);
  assert.match(error.message, "Failed to get policy manager for channel [elsewhere]");
});

test("over its gateway concurrency limit the peer refuses a call at once, as Fabric's limiter does", async () => {
  const devpeer = await startDevpeer({ gatewayConcurrencyLimit: 2 });
  const admin = connectAs(devpeer, devpeer.credentials.admin);
  const network = admin.gateway.getNetwork("clearbook");
  // Open event streams hold their slot for as long as they are open.
  const held = [await network.getChaincodeEvents("clearbook"), await network.getChaincodeEvents("clearbook")];
  const pending = held.map((stream) =>
    stream[Symbol.asyncIterator]()
      .next()
      .catch(() => undefined),
  );
  try {
    const contract = network.getContract("clearbook");
    // Streams open lazily on the server: poll until both slots are taken.
    const deadline = Date.now() + 5_000;
    let refused: GatewayError | undefined;
    while (!refused && Date.now() < deadline) {
      refused = await contract.evaluateTransaction("counter:Get", "x").then(
        () => undefined,
        (error: unknown) => error as GatewayError,
      );
    }
    assert.ok(refused, "a call over the limit should be refused");
    assert.is(refused.code, 2);
    assert.match(refused.message, "too many requests for /gateway.Gateway, exceeding concurrency limit (2)");
    held[0]?.close();
    await pending[0];
    const freed = Date.now() + 5_000;
    let answered = false;
    while (!answered && Date.now() < freed) {
      answered = await contract.evaluateTransaction("counter:Get", "x").then(
        () => true,
        () => false,
      );
    }
    assert.ok(answered, "a slot is free again once a stream closes");
  } finally {
    for (const stream of held) stream.close();
    admin.close();
    await devpeer.dispose();
    await removeDir(devpeer.dir);
  }
});

test("range scans see committed keys in key order", async ({ admin }) => {
  const contract = admin.gateway.getNetwork("clearbook").getContract("clearbook");
  await Promise.all([
    contract.submitTransaction("counter:Put", "item:b", "2"),
    contract.submitTransaction("counter:Put", "item:a", "1"),
    contract.submitTransaction("counter:Put", "item:c", "3"),
  ]);
  await contract.submitTransaction("counter:Remove", "item:c");
  assert.is(utf8(await contract.evaluateTransaction("counter:List", "item:")), "item:a=1,item:b=2");
});

test.run();

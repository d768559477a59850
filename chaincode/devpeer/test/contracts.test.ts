import { EndorseError } from "@hyperledger/fabric-gateway";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { chaincodeRuntimePatches, type Devpeer } from "../src/index.js";
import { connectAs, removeDir, startDevpeer, testRuntimePatches, utf8, within } from "./helpers.js";

interface Context {
  devpeer: Devpeer & { dir: string };
  admin: ReturnType<typeof connectAs>;
}

// The project's own chaincode (@clearbook/contracts, built by tsc), loaded by default.
const test = suite<Context>("@clearbook/contracts");

test.before(async (context) => {
  context.devpeer = await startDevpeer({ contracts: undefined });
  context.admin = connectAs(context.devpeer, context.devpeer.credentials.admin);
});

test.after(async (context) => {
  context.admin.close();
  await context.devpeer.dispose();
  await removeDir(context.devpeer.dir);
});

test("runs with the runtime patches it was started with, installed at start rather than on import", () => {
  assert.equal(chaincodeRuntimePatches(), testRuntimePatches);
});

test("the devpeer runs the project's contracts by default", async ({ admin }) => {
  const metadata = JSON.parse(
    utf8(
      await admin.gateway
        .getNetwork("clearbook")
        .getContract("clearbook")
        .evaluateTransaction("org.hyperledger.fabric:GetMetadata"),
    ),
  ) as { contracts: Record<string, unknown> };
  for (const name of ["org", "ledger", "voting", "token"]) assert.ok(name in metadata.contracts, `contract ${name}`);
});

test("an admin creates an organization, its event arrives, and a second creation is refused with its code", async ({
  admin,
}) => {
  const network = admin.gateway.getNetwork("clearbook");
  const contract = network.getContract("clearbook");
  const orgId = `org-${Date.now()}`;
  const events = await network.getChaincodeEvents("clearbook");
  try {
    const submitted = await contract.submitAsync("org:CreateOrganization", {
      arguments: [orgId, "Student council", "founder-1"],
    });
    assert.ok((await within(5_000, submitted.getStatus())).successful);
    const event = await within(5_000, events[Symbol.asyncIterator]().next(), "OrgCreated");
    assert.is(event.value?.eventName, "OrgCreated");
    assert.is(event.value?.transactionId, submitted.getTransactionId());
  } finally {
    events.close();
  }
  try {
    await contract.submitTransaction("org:CreateOrganization", orgId, "Again", "founder-1");
    assert.unreachable("a used id must be refused");
  } catch (error) {
    assert.instance(error, EndorseError);
    assert.match((error as EndorseError).details[0]?.message ?? "", "ALREADY_USED");
  }
});

test.run();

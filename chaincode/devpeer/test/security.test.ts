import { EndorseError, GatewayError } from "@hyperledger/fabric-gateway";
import { common, gateway as gw, peer } from "@hyperledger/fabric-protos";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createCertificateAuthority, type Devpeer, issueIdentity, TxCode } from "../src/index.js";
import { connectAs, removeDir, startDevpeer, within } from "./helpers.js";

interface Context {
  devpeer: Devpeer & { dir: string };
  admin: ReturnType<typeof connectAs>;
}

const test = suite<Context>("security");

test.before(async (context) => {
  context.devpeer = await startDevpeer();
  context.admin = connectAs(context.devpeer, context.devpeer.credentials.admin);
});

test.after(async (context) => {
  context.admin.close();
  await context.devpeer.dispose();
  await removeDir(context.devpeer.dir);
});

async function expectRefused(
  connection: ReturnType<typeof connectAs>,
  expected: { evaluate: number; endorse: number; message: string },
) {
  const contract = connection.gateway.getNetwork("clearbook").getContract("clearbook");
  try {
    await contract.evaluateTransaction("counter:Get", "x");
    assert.unreachable("evaluate should be refused");
  } catch (error) {
    assert.instance(error, GatewayError);
    assert.is((error as GatewayError).code, expected.evaluate);
    assert.match((error as GatewayError).message, expected.message);
  }
  try {
    await contract.submitTransaction("counter:Put", "x", "1");
    assert.unreachable("endorse should be refused");
  } catch (error) {
    assert.instance(error, EndorseError);
    assert.is((error as EndorseError).code, expected.endorse);
    assert.match((error as EndorseError).details[0]?.message ?? "", expected.message);
  }
}

test("a proposal signed with a key other than the certificate's is refused", async ({ devpeer }) => {
  const other = await issueIdentity(devpeer.credentials.ca, { userId: "mallory", role: "user" });
  const forged = connectAs(devpeer, {
    certificatePem: devpeer.credentials.admin.certificatePem,
    privateKeyPem: other.privateKeyPem,
  });
  try {
    await expectRefused(forged, { evaluate: 9, endorse: 10, message: "access denied" });
  } finally {
    forged.close();
  }
});

test("an identity issued by an unknown CA is refused", async ({ devpeer }) => {
  const strangerCa = await createCertificateAuthority({ commonName: "stranger-ca" });
  const stranger = connectAs(devpeer, await issueIdentity(strangerCa, { userId: "admin", role: "admin" }));
  try {
    await expectRefused(stranger, { evaluate: 9, endorse: 10, message: "not issued by the CA of ClearbookMSP" });
  } finally {
    stranger.close();
  }
});

test("an identity claiming another MSP is refused", async ({ devpeer }) => {
  const other = connectAs(devpeer, devpeer.credentials.admin, "OtherMSP");
  try {
    await expectRefused(other, { evaluate: 9, endorse: 10, message: "creator org unknown" });
  } finally {
    other.close();
  }
});

test("a replayed transaction is recorded as DUPLICATE_TXID and its proposal cannot be endorsed again", async ({
  admin,
}) => {
  const network = admin.gateway.getNetwork("clearbook");
  const proposal = network.getContract("clearbook").newProposal("counter:Put", { arguments: ["replay", "once"] });
  const transaction = await proposal.endorse();
  const first = await transaction.submit();
  const status = await within(5_000, first.getStatus(), "first commit");
  assert.is(status.code, TxCode.VALID);

  const blocks = await network.getBlockEvents({ startBlock: status.blockNumber + 1n });
  try {
    // The same signed envelope again: the orderer accepts it, the committer marks it.
    await admin.gateway.newTransaction(transaction.getBytes()).submit();
    const next = await within(5_000, blocks[Symbol.asyncIterator]().next(), "replay block");
    const block = next.value as common.Block;
    const filter = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER];
    assert.equal([...(filter ?? [])], [TxCode.DUPLICATE_TXID]);
  } finally {
    blocks.close();
  }
  // The first outcome stands for the id.
  assert.is((await admin.gateway.newCommit(first.getBytes()).getStatus()).code, TxCode.VALID);

  try {
    await admin.gateway.newProposal(proposal.getBytes()).endorse();
    assert.unreachable("a used transaction id must not be endorsed");
  } catch (error) {
    assert.instance(error, EndorseError);
    assert.match((error as EndorseError).details[0]?.message ?? "", "duplicate transaction found");
  }
});

test("a transaction signed by someone other than its creator is refused at submit", async ({ devpeer, admin }) => {
  const other = await issueIdentity(devpeer.credentials.ca, { userId: "mallory", role: "user" });
  const mallory = connectAs(devpeer, other);
  try {
    const unsigned = await admin.gateway
      .getNetwork("clearbook")
      .getContract("clearbook")
      .newProposal("counter:Put", { arguments: ["forged", "1"] })
      .endorse();
    // Mallory signs admin's transaction with her own key.
    const malloryTx = mallory.gateway.newTransaction(unsigned.getBytes());
    await malloryTx.submit();
    assert.unreachable("submit should be refused");
  } catch (error) {
    // SubmitError is not exported by fabric-gateway; it is a GatewayError.
    assert.instance(error, GatewayError);
    assert.is((error as GatewayError).name, "SubmitError");
    assert.is((error as GatewayError).code, 10);
    assert.match((error as GatewayError).message, "FORBIDDEN");
  } finally {
    mallory.close();
  }
});

test("a transaction whose endorsed result was altered is recorded as ENDORSEMENT_POLICY_FAILURE", async ({ admin }) => {
  const unsigned = await admin.gateway
    .getNetwork("clearbook")
    .getContract("clearbook")
    .newProposal("counter:Increment", { arguments: ["tampered"] })
    .endorse();
  const prepared = gw.PreparedTransaction.deserializeBinary(unsigned.getBytes());
  const envelope = prepared.getEnvelope() as common.Envelope;
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const transaction = peer.Transaction.deserializeBinary(payload.getData_asU8());
  const action = transaction.getActionsList()[0] as peer.TransactionAction;
  const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
  const endorsed = actionPayload.getAction() as peer.ChaincodeEndorsedAction;
  const responsePayload = peer.ProposalResponsePayload.deserializeBinary(endorsed.getProposalResponsePayload_asU8());
  const chaincodeAction = peer.ChaincodeAction.deserializeBinary(responsePayload.getExtension_asU8());
  chaincodeAction.getResponse()?.setPayload(Buffer.from("1000000"));
  responsePayload.setExtension$(chaincodeAction.serializeBinary());
  endorsed.setProposalResponsePayload(responsePayload.serializeBinary());
  actionPayload.setAction(endorsed);
  action.setPayload(actionPayload.serializeBinary());
  payload.setData(transaction.serializeBinary());
  envelope.setPayload(payload.serializeBinary());
  prepared.setEnvelope(envelope);

  const submitted = await admin.gateway.newTransaction(prepared.serializeBinary()).submit();
  const status = await within(5_000, submitted.getStatus(), "commit status");
  assert.is(status.code, TxCode.ENDORSEMENT_POLICY_FAILURE);
  assert.not.ok(status.successful);
});

test.run();

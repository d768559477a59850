import { createPrivateKey } from "node:crypto";
import { common, gateway as gw, peer } from "@hyperledger/fabric-protos";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { signData } from "../src/crypto.js";
import { type Devpeer, issueIdentity, TxCode } from "../src/index.js";
import { MspVerifier, serializeIdentity } from "../src/msp.js";
import { endorse } from "../src/transaction.js";
import {
  type PendingTransaction,
  readValidTransaction,
  type ValidatorOptions,
  validateBlock,
} from "../src/validator.js";
import { WorldState } from "../src/world-state.js";
import { connectAs, removeDir, startDevpeer } from "./helpers.js";

interface Context {
  devpeer: Devpeer & { dir: string };
  /** A transaction endorsed by the devpeer, not yet signed by its creator. */
  envelope: common.Envelope;
  options: ValidatorOptions;
}

const test = suite<Context>("commit validation codes");

test.before(async (context) => {
  context.devpeer = await startDevpeer();
  const admin = connectAs(context.devpeer, context.devpeer.credentials.admin);
  const endorsed = await admin.gateway
    .getNetwork("clearbook")
    .getContract("clearbook")
    .newProposal("counter:Put", { arguments: ["k", "v"] })
    .endorse();
  admin.close();
  context.envelope = gw.PreparedTransaction.deserializeBinary(endorsed.getBytes()).getEnvelope() as common.Envelope;
  context.options = {
    channelId: "clearbook",
    chaincodeName: "clearbook",
    msp: new MspVerifier({ mspId: "ClearbookMSP", caCertificatePem: context.devpeer.credentials.ca.certificatePem }),
    isTxIdUsed: () => false,
    // No prepared transactions here: envelopes are parsed and the endorsement signature really verified.
  };
});

test.after(async ({ devpeer }) => {
  await devpeer.dispose();
  await removeDir(devpeer.dir);
});

function signed(envelope: common.Envelope, privateKeyPem: string): Uint8Array {
  const copy = common.Envelope.deserializeBinary(envelope.serializeBinary());
  copy.setSignature(signData(createPrivateKey(privateKeyPem), copy.getPayload_asU8()));
  return copy.serializeBinary();
}

/** The same transaction with its endorsement replaced by one from `identity`. */
function endorsedBy(
  envelope: common.Envelope,
  identity: { certificatePem: string; privateKeyPem: string },
): common.Envelope {
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const transaction = peer.Transaction.deserializeBinary(payload.getData_asU8());
  const action = transaction.getActionsList()[0] as peer.TransactionAction;
  const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
  const endorsed = actionPayload.getAction() as peer.ChaincodeEndorsedAction;
  endorsed.setEndorsementsList([
    endorse(endorsed.getProposalResponsePayload_asU8(), {
      identity: serializeIdentity("ClearbookMSP", identity.certificatePem),
      privateKey: createPrivateKey(identity.privateKeyPem),
    }),
  ]);
  actionPayload.setAction(endorsed);
  action.setPayload(actionPayload.serializeBinary());
  payload.setData(transaction.serializeBinary());
  const result = new common.Envelope();
  result.setPayload(payload.serializeBinary());
  return result;
}

const codes = (pending: PendingTransaction[], options: ValidatorOptions) =>
  validateBlock(pending, 1, new WorldState(), options).map((tx) => tx.code);

test("a well-formed, signed and endorsed transaction is VALID, and its copy in the same block a DUPLICATE_TXID", ({
  devpeer,
  envelope,
  options,
}) => {
  const bytes = signed(envelope, devpeer.credentials.admin.privateKeyPem);
  assert.equal(
    codes(
      [
        { bytes, signatureChecked: false },
        { bytes, signatureChecked: false },
      ],
      options,
    ),
    [TxCode.VALID, TxCode.DUPLICATE_TXID],
  );
});

test("records each kind of broken transaction with Fabric's code", async ({ devpeer, envelope, options }) => {
  const good = signed(envelope, devpeer.credentials.admin.privateKeyPem);
  const other = await issueIdentity(devpeer.credentials.ca, { userId: "mallory", role: "user" });
  const cases: [string, PendingTransaction, ValidatorOptions, number][] = [
    [
      "bytes that are no envelope",
      { bytes: Buffer.from("garbage"), signatureChecked: false },
      options,
      TxCode.BAD_PAYLOAD,
    ],
    [
      "signed by someone else",
      { bytes: signed(envelope, other.privateKeyPem), signatureChecked: false },
      options,
      TxCode.BAD_CREATOR_SIGNATURE,
    ],
    [
      "for another channel",
      { bytes: good, signatureChecked: false },
      { ...options, channelId: "other" },
      TxCode.TARGET_CHAIN_NOT_FOUND,
    ],
    [
      "an id already on the ledger",
      { bytes: good, signatureChecked: false },
      { ...options, isTxIdUsed: () => true },
      TxCode.DUPLICATE_TXID,
    ],
    [
      "re-endorsed by the devpeer's peer identity (control)",
      {
        bytes: signed(endorsedBy(envelope, devpeer.credentials.peer), devpeer.credentials.admin.privateKeyPem),
        signatureChecked: false,
      },
      options,
      TxCode.VALID,
    ],
    [
      "endorsed by a member who is not a peer",
      {
        bytes: signed(endorsedBy(envelope, devpeer.credentials.admin), devpeer.credentials.admin.privateKeyPem),
        signatureChecked: false,
      },
      options,
      TxCode.ENDORSEMENT_POLICY_FAILURE,
    ],
  ];
  for (const [what, pending, caseOptions, expected] of cases) {
    assert.equal(codes([pending], caseOptions), [expected], what);
  }
});

test("a transaction this peer prepared skips parsing, not the duplicate and MVCC checks", ({
  devpeer,
  envelope,
  options,
}) => {
  const bytes = signed(envelope, devpeer.credentials.admin.privateKeyPem);
  const prepared = readValidTransaction(bytes, "clearbook");
  const pending = { bytes, signatureChecked: true, prepared };
  assert.equal(codes([pending, pending], options), [TxCode.VALID, TxCode.DUPLICATE_TXID]);
  assert.equal(codes([pending], { ...options, isTxIdUsed: () => true }), [TxCode.DUPLICATE_TXID]);
  // As if the simulation had read "k" while it did not exist yet; it has been written since.
  const rwsets = prepared.rwsets.map((set) => ({ ...set, reads: [{ key: "k", version: undefined }] }));
  const state = new WorldState();
  state.apply([{ key: "k", value: Buffer.from("newer") }], { blockNum: 0, txNum: 0 });
  const outcome = validateBlock([{ ...pending, prepared: { ...prepared, rwsets } }], 1, state, options);
  assert.equal(
    outcome.map((tx) => tx.code),
    [TxCode.MVCC_READ_CONFLICT],
  );
});

test.run();

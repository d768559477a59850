import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { type ConnectionProfile, identityOf, privateKeySigner, validationName } from "@clearbook/client";
import type { Account } from "@clearbook/contracts";
import * as grpc from "@grpc/grpc-js";
import { connect, type Gateway, hash } from "@hyperledger/fabric-gateway";
import { common, msp, peer } from "@hyperledger/fabric-protos";
import type { ChainBlock, ChainBlockTransaction, ChainReads } from "./chain.port.js";

export interface FabricReads extends ChainReads {
  dispose(): void;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

/** "MSP/CN=…" of a serialized creator; the MSP id alone when the certificate does not parse. */
function creatorOf(signatureHeader: Uint8Array): string {
  try {
    const creator = common.SignatureHeader.deserializeBinary(signatureHeader).getCreator_asU8();
    const identity = msp.SerializedIdentity.deserializeBinary(creator);
    const subject = new X509Certificate(Buffer.from(identity.getIdBytes_asU8())).subject.replaceAll("\n", ", ");
    return `${identity.getMspid()}/${subject}`;
  } catch {
    return "";
  }
}

/** The transaction function (`contract:Function`) an endorser transaction invoked. */
function functionOf(payload: common.Payload): string {
  try {
    const action = peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList()[0];
    if (!action) return "";
    const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
    const proposal = peer.ChaincodeProposalPayload.deserializeBinary(actionPayload.getChaincodeProposalPayload_asU8());
    const spec = peer.ChaincodeInvocationSpec.deserializeBinary(proposal.getInput_asU8()).getChaincodeSpec();
    const first = spec?.getInput()?.getArgsList_asU8()[0];
    return first ? Buffer.from(first).toString("utf8") : "";
  } catch {
    return "";
  }
}

/** Reads one envelope's transaction fields; null for a non-endorser (config) transaction. */
function transactionOf(entry: Uint8Array, code: number): ChainBlockTransaction | null {
  const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(entry).getPayload_asU8());
  const channelHeader = common.ChannelHeader.deserializeBinary(
    payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array(),
  );
  if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION) return null;
  const ts = channelHeader.getTimestamp();
  return {
    txId: channelHeader.getTxId(),
    function: functionOf(payload),
    validationCode: validationName(code),
    creator: creatorOf(payload.getHeader()?.getSignatureHeader_asU8() ?? new Uint8Array()),
    timestamp: ts ? new Date(ts.getSeconds() * 1000 + Math.floor(ts.getNanos() / 1e6)).toISOString() : null,
  };
}

/** Turns a qscc block into the explorer's shape: header fields, data entries, transactions with outcomes. */
export function parseBlock(bytes: Uint8Array): ChainBlock {
  const block = common.Block.deserializeBinary(bytes);
  const header = block.getHeader();
  const data = block.getData()?.getDataList_asU8() ?? [];
  const filter =
    block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
  const transactions: ChainBlockTransaction[] = [];
  data.forEach((entry, index) => {
    try {
      const tx = transactionOf(entry, filter[index] ?? peer.TxValidationCode.NOT_VALIDATED);
      if (tx) transactions.push(tx);
    } catch {
      // An entry that does not parse is still part of the data hash; it just lists no transaction.
    }
  });
  return {
    number: Number(header?.getNumber() ?? 0),
    previousHash: hex(header?.getPreviousHash_asU8() ?? new Uint8Array()),
    dataHash: hex(header?.getDataHash_asU8() ?? new Uint8Array()),
    data,
    transactions,
  };
}

/**
 * Chain reads over the Fabric Gateway API: the treasury balance by evaluating `token:GetTreasury`,
 * blocks and the height through the peer's `qscc`. Evaluations are signed by the profile's reader
 * identity (the dev admin on the devpeer); nothing here can submit.
 */
export async function createFabricReads(profile: ConnectionProfile): Promise<FabricReads> {
  const endpoint = profile.endpoints[0];
  if (!endpoint) throw new Error("the connection profile names no endpoint");
  if (!profile.admin) throw new Error("the connection profile has no reader identity (admin)");
  const credentials = profile.tls
    ? grpc.credentials.createSsl(profile.tlsRootCertPath ? await readFile(profile.tlsRootCertPath) : null)
    : grpc.credentials.createInsecure();
  const client = new grpc.Client(
    endpoint.address,
    credentials,
    endpoint.tlsHostnameOverride ? { "grpc.ssl_target_name_override": endpoint.tlsHostnameOverride } : {},
  );
  const gateway: Gateway = connect({
    client,
    identity: identityOf(profile.mspId, await readFile(profile.admin.certPath, "utf8")),
    signer: privateKeySigner(await readFile(profile.admin.keyPath, "utf8")),
    // The client's signers hash the message themselves (OpenSSL); the gateway must not hash first.
    hash: hash.none,
    evaluateOptions: () => ({ deadline: Date.now() + 5000 }),
  });
  const network = gateway.getNetwork(profile.channel);
  const qscc = network.getContract("qscc");
  const chaincode = network.getContract(profile.chaincode);

  return {
    async treasuryBalance(orgId) {
      try {
        const bytes = await chaincode.evaluateTransaction("token:GetTreasury", orgId);
        const account = JSON.parse(Buffer.from(bytes).toString("utf8")) as Account;
        return BigInt(account.balance);
      } catch (error) {
        // An organization whose creation has not committed has no treasury yet.
        if (String((error as Error).message ?? "").includes("NOT_FOUND")) return 0n;
        throw error;
      }
    },
    async height() {
      const info = common.BlockchainInfo.deserializeBinary(
        await qscc.evaluateTransaction("GetChainInfo", profile.channel),
      );
      return Number(info.getHeight());
    },
    async block(number) {
      try {
        return parseBlock(await qscc.evaluateTransaction("GetBlockByNumber", profile.channel, String(number)));
      } catch (error) {
        if (String((error as Error).message ?? "").includes("not found")) return null;
        throw error;
      }
    },
    async transaction(txId) {
      let processed: peer.ProcessedTransaction;
      try {
        processed = peer.ProcessedTransaction.deserializeBinary(
          await qscc.evaluateTransaction("GetTransactionByID", profile.channel, txId),
        );
      } catch (error) {
        if (String((error as Error).message ?? "").includes("not found")) return null;
        throw error;
      }
      const envelope = processed.getTransactionenvelope();
      const tx = envelope ? transactionOf(envelope.serializeBinary(), processed.getValidationcode()) : null;
      if (!tx) return null;
      let blockNumber: number | null = null;
      try {
        const block = common.Block.deserializeBinary(
          await qscc.evaluateTransaction("GetBlockByTxID", profile.channel, txId),
        );
        blockNumber = Number(block.getHeader()?.getNumber() ?? 0);
      } catch {
        blockNumber = null;
      }
      return { ...tx, blockNumber };
    },
    dispose() {
      gateway.close();
      client.close();
    },
  };
}

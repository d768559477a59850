import { common, peer } from "@hyperledger/fabric-protos";
import type { Ledger } from "./ledger.js";

/** A qscc function failed; the message is returned as a 500 chaincode response, as Fabric does. */
export class QsccError extends Error {
  override readonly name = "QsccError";
}

/**
 * Answers the query system chaincode (qscc) functions a gateway client evaluates:
 * GetChainInfo, GetBlockByNumber, GetBlockByHash, GetBlockByTxID and GetTransactionByID.
 * @returns the serialized protobuf answer.
 * @throws QsccError for an unknown function, a wrong channel or a missing block or transaction.
 */
export async function queryQscc(ledger: Ledger, channelId: string, args: Uint8Array[]): Promise<Uint8Array> {
  const [name, channel, arg] = args.map((bytes) => Buffer.from(bytes).toString("utf8"));
  if (channel !== channelId) throw new QsccError(`channel [${channel ?? ""}] not found`);
  switch (name) {
    case "GetChainInfo": {
      const info = ledger.chainInfo();
      const message = new common.BlockchainInfo();
      message.setHeight(info.height);
      message.setCurrentblockhash(info.currentBlockHash);
      message.setPreviousblockhash(info.previousBlockHash);
      return message.serializeBinary();
    }
    case "GetBlockByNumber": {
      const number = Number(arg);
      if (!Number.isSafeInteger(number) || number < 0 || number >= ledger.height) {
        throw new QsccError(`Failed to get block number ${arg ?? ""}, error entry not found in index`);
      }
      return ledger.blockBytes(number);
    }
    case "GetBlockByHash": {
      const number = ledger.blockNumberByHash(args[2] ?? new Uint8Array());
      if (number === undefined) throw new QsccError("Failed to get block by hash, error entry not found in index");
      return ledger.blockBytes(number);
    }
    case "GetBlockByTxID": {
      const status = ledger.txStatus(arg ?? "");
      if (!status) throw new QsccError(`Failed to get block for txID ${arg ?? ""}, error entry not found in index`);
      return ledger.blockBytes(status.blockNumber);
    }
    case "GetTransactionByID": {
      const status = ledger.txStatus(arg ?? "");
      if (!status)
        throw new QsccError(`Failed to get transaction with id ${arg ?? ""}, error entry not found in index`);
      const block = await ledger.block(status.blockNumber);
      const bytes = block.getData()?.getDataList_asU8()[status.txNum] ?? new Uint8Array();
      const processed = new peer.ProcessedTransaction();
      processed.setTransactionenvelope(common.Envelope.deserializeBinary(bytes));
      processed.setValidationcode(status.code);
      return processed.serializeBinary();
    }
    default:
      throw new QsccError(`Requested function ${name ?? ""} not found.`);
  }
}

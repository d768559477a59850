import type { ServerDuplexStream } from "@grpc/grpc-js";
import { common, orderer, peer } from "@hyperledger/fabric-protos";
import type { Ledger } from "./ledger.js";
import { AccessDeniedError, type MspVerifier } from "./msp.js";

type DeliverCall = ServerDuplexStream<common.Envelope, peer.DeliverResponse>;
type StatusCode = common.StatusMap[keyof common.StatusMap];

/** What each Deliver flavour sends per block. */
type Flavour = "block" | "filtered" | "private";

export interface DeliverServiceOptions {
  channelId: string;
  ledger: Ledger;
  msp: MspVerifier;
  onInternalError(error: unknown): void;
}

class DeliverRefusal extends Error {
  constructor(readonly status: StatusCode) {
    super(`deliver refused with status ${status}`);
  }
}

interface SeekRange {
  start: number;
  stop: number;
  failIfNotReady: boolean;
}

function resolvePosition(position: orderer.SeekPosition | undefined, height: number): number {
  switch (position?.getTypeCase()) {
    case orderer.SeekPosition.TypeCase.OLDEST:
      return 0;
    case orderer.SeekPosition.TypeCase.NEWEST:
      return height - 1;
    case orderer.SeekPosition.TypeCase.SPECIFIED:
      return position.getSpecified()?.getNumber() ?? 0;
    case orderer.SeekPosition.TypeCase.NEXT_COMMIT:
      return height;
    default:
      throw new DeliverRefusal(common.Status.BAD_REQUEST);
  }
}

/**
 * The `protos.Deliver` service: a signed DELIVER_SEEK_INFO envelope asks for blocks from a start to a
 * stop position (the gateway client asks from a block "to the end of time"); blocks are streamed as they
 * are committed, then a SUCCESS status. Problems are answered, as on a peer, with a status response:
 * BAD_REQUEST, FORBIDDEN (signature or membership), NOT_FOUND (channel, or block with FAIL_IF_NOT_READY).
 */
export function createDeliverService(options: DeliverServiceOptions): peer.IDeliverServer {
  function seekRange(envelope: common.Envelope): SeekRange {
    let payload: common.Payload;
    let channelHeader: common.ChannelHeader;
    let creator: Uint8Array;
    let seekInfo: orderer.SeekInfo;
    try {
      payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
      const header = payload.getHeader();
      if (!header) throw new Error("missing header");
      channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
      creator = common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8()).getCreator_asU8();
      seekInfo = orderer.SeekInfo.deserializeBinary(payload.getData_asU8());
    } catch {
      throw new DeliverRefusal(common.Status.BAD_REQUEST);
    }
    if (channelHeader.getType() !== common.HeaderType.DELIVER_SEEK_INFO)
      throw new DeliverRefusal(common.Status.BAD_REQUEST);
    if (channelHeader.getChannelId() !== options.channelId) throw new DeliverRefusal(common.Status.NOT_FOUND);
    try {
      options.msp.verify(creator, envelope.getPayload_asU8(), envelope.getSignature_asU8());
    } catch (error) {
      if (error instanceof AccessDeniedError) throw new DeliverRefusal(common.Status.FORBIDDEN);
      throw error;
    }
    const height = options.ledger.height;
    const start = resolvePosition(seekInfo.getStart(), height);
    const stop = resolvePosition(seekInfo.getStop(), height);
    if (stop < start) throw new DeliverRefusal(common.Status.BAD_REQUEST);
    return {
      start,
      stop,
      failIfNotReady: seekInfo.getBehavior() === orderer.SeekInfo.SeekBehavior.FAIL_IF_NOT_READY,
    };
  }

  async function response(number: number, flavour: Flavour): Promise<peer.DeliverResponse> {
    const message = new peer.DeliverResponse();
    if (flavour === "filtered") {
      const filtered = new peer.FilteredBlock();
      filtered.setChannelId(options.channelId);
      filtered.setNumber(number);
      filtered.setFilteredTransactionsList(
        (await options.ledger.transactionsOf(number)).map((tx) => {
          const transaction = new peer.FilteredTransaction();
          transaction.setTxid(tx.txId);
          transaction.setType(tx.type as common.HeaderTypeMap[keyof common.HeaderTypeMap]);
          transaction.setTxValidationCode(tx.code as peer.TxValidationCodeMap[keyof peer.TxValidationCodeMap]);
          if (tx.event) {
            const event = new peer.ChaincodeEvent();
            event.setChaincodeId(tx.event.getChaincodeId());
            event.setTxId(tx.event.getTxId());
            event.setEventName(tx.event.getEventName());
            const action = new peer.FilteredChaincodeAction();
            action.setChaincodeEvent(event);
            const actions = new peer.FilteredTransactionActions();
            actions.setChaincodeActionsList([action]);
            transaction.setTransactionActions(actions);
          }
          return transaction;
        }),
      );
      message.setFilteredBlock(filtered);
    } else if (flavour === "private") {
      const withPrivateData = new peer.BlockAndPrivateData();
      withPrivateData.setBlock(await options.ledger.block(number));
      message.setBlockAndPrivateData(withPrivateData);
    } else {
      message.setBlock(await options.ledger.block(number));
    }
    return message;
  }

  async function serve(call: DeliverCall, envelope: common.Envelope, flavour: Flavour, signal: AbortSignal) {
    const send = async (message: peer.DeliverResponse) => {
      if (!call.write(message)) await new Promise((resolve) => call.once("drain", resolve));
    };
    const statusResponse = (status: StatusCode) => {
      const message = new peer.DeliverResponse();
      message.setStatus(status);
      return message;
    };
    let range: SeekRange;
    try {
      range = seekRange(envelope);
    } catch (error) {
      if (error instanceof DeliverRefusal) return send(statusResponse(error.status));
      throw error;
    }
    if (range.failIfNotReady && range.start >= options.ledger.height) {
      return send(statusResponse(common.Status.NOT_FOUND));
    }
    for (let number = range.start; number <= range.stop; number++) {
      await options.ledger.waitForHeight(number + 1, signal);
      await send(await response(number, flavour));
    }
    await send(statusResponse(common.Status.SUCCESS));
  }

  function handler(flavour: Flavour) {
    return (call: DeliverCall) => {
      const controller = new AbortController();
      call.on("cancelled", () => controller.abort());
      let queue = Promise.resolve();
      call.on("data", (envelope: common.Envelope) => {
        queue = queue.then(() =>
          serve(call, envelope, flavour, controller.signal).catch((error: unknown) => {
            if ((error as Error)?.name === "AbortError" || call.cancelled) return;
            options.onInternalError(error);
            call.end();
          }),
        );
      });
      call.on("end", () => {
        queue.then(() => call.end());
      });
    };
  }

  return {
    deliver: handler("block"),
    deliverFiltered: handler("filtered"),
    deliverWithPrivateData: handler("private"),
  };
}

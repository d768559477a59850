import { common, peer } from "@hyperledger/fabric-protos";
import { AccessDeniedError, type MspVerifier, type VerifiedIdentity } from "./msp.js";
import { computeTxId, proposalHash } from "./proposal.js";
import { decodeTxReadWriteSet, type KeyRead, type RangeRead, type ReadWriteSet } from "./rwset.js";
import { TxCode } from "./transaction.js";
import { compareKeys, sameVersion, type Version, type WorldState } from "./world-state.js";

/** A transaction envelope waiting in the block cutter. */
export interface PendingTransaction {
  bytes: Uint8Array;
  /** True when Submit already verified the creator's signature (the orderer's check), so commit need not. */
  signatureChecked: boolean;
  /**
   * The transaction as this peer prepared it at Endorse, when Submit found that `bytes` carry exactly
   * that payload (see PreparedTransactions): commit then skips parsing it and checking this peer's own
   * endorsement. Every other check runs.
   */
  prepared?: EndorserTransaction | undefined;
}

/** The parts of an endorser transaction that validation and replay need. */
export interface EndorserTransaction {
  txId: string;
  channelId: string;
  creator: Uint8Array;
  /** The creator as the MSP verified it at Endorse (prepared transactions only). */
  identity?: VerifiedIdentity | undefined;
  nonce: Uint8Array;
  payloadBytes: Uint8Array;
  signature: Uint8Array;
  responsePayload: Uint8Array;
  endorsements: peer.Endorsement[];
  rwsets: ReadWriteSet[];
  event: peer.ChaincodeEvent | undefined;
}

class Invalid extends Error {
  constructor(readonly code: TxCode) {
    super(`invalid transaction (${code})`);
  }
}

function step<T>(code: TxCode, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof Invalid) throw error;
    throw new Invalid(code);
  }
}

/**
 * Parses an endorser transaction envelope layer by layer, checking its structure as Fabric's
 * validateTransaction does (one action, the action's header equal to the payload's, the proposal hash
 * recomputed from the transaction).
 * @throws Invalid with the validation code of the first layer that fails.
 */
function parseEndorserTransaction(bytes: Uint8Array, expectedChannel: string): EndorserTransaction {
  const envelope = step(TxCode.BAD_PAYLOAD, () => common.Envelope.deserializeBinary(bytes));
  const payloadBytes = envelope.getPayload_asU8();
  const payload = step(TxCode.BAD_PAYLOAD, () => common.Payload.deserializeBinary(payloadBytes));
  const header = payload.getHeader();
  if (!header) throw new Invalid(TxCode.BAD_COMMON_HEADER);
  const channelHeaderBytes = header.getChannelHeader_asU8();
  const signatureHeaderBytes = header.getSignatureHeader_asU8();
  const channelHeader = step(TxCode.BAD_CHANNEL_HEADER, () =>
    common.ChannelHeader.deserializeBinary(channelHeaderBytes),
  );
  const signatureHeader = step(TxCode.BAD_COMMON_HEADER, () =>
    common.SignatureHeader.deserializeBinary(signatureHeaderBytes),
  );
  if (channelHeader.getChannelId() !== expectedChannel) throw new Invalid(TxCode.TARGET_CHAIN_NOT_FOUND);
  if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION) throw new Invalid(TxCode.UNKNOWN_TX_TYPE);
  const creator = signatureHeader.getCreator_asU8();
  const txId = channelHeader.getTxId();
  const transaction = step(TxCode.BAD_PAYLOAD, () => peer.Transaction.deserializeBinary(payload.getData_asU8()));
  const actions = transaction.getActionsList();
  const action = actions[0];
  if (actions.length !== 1 || !action) throw new Invalid(TxCode.INVALID_ENDORSER_TRANSACTION);
  if (!Buffer.from(action.getHeader_asU8()).equals(signatureHeaderBytes)) {
    throw new Invalid(TxCode.INVALID_ENDORSER_TRANSACTION);
  }
  const actionPayload = step(TxCode.BAD_PAYLOAD, () =>
    peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8()),
  );
  const endorsed = actionPayload.getAction();
  if (!endorsed) throw new Invalid(TxCode.NIL_TXACTION);
  const responsePayload = endorsed.getProposalResponsePayload_asU8();
  const prp = step(TxCode.BAD_RESPONSE_PAYLOAD, () => peer.ProposalResponsePayload.deserializeBinary(responsePayload));
  const expectedHash = proposalHash(
    channelHeaderBytes,
    signatureHeaderBytes,
    actionPayload.getChaincodeProposalPayload_asU8(),
  );
  if (!expectedHash.equals(prp.getProposalHash_asU8())) throw new Invalid(TxCode.INVALID_ENDORSER_TRANSACTION);
  const chaincodeAction = step(TxCode.BAD_RESPONSE_PAYLOAD, () =>
    peer.ChaincodeAction.deserializeBinary(prp.getExtension_asU8()),
  );
  const rwsets = step(TxCode.BAD_RWSET, () => decodeTxReadWriteSet(chaincodeAction.getResults_asU8()));
  const eventBytes = chaincodeAction.getEvents_asU8();
  const event =
    eventBytes.length > 0
      ? step(TxCode.BAD_PAYLOAD, () => peer.ChaincodeEvent.deserializeBinary(eventBytes))
      : undefined;
  return {
    txId,
    channelId: channelHeader.getChannelId(),
    creator,
    payloadBytes,
    signature: envelope.getSignature_asU8(),
    responsePayload,
    endorsements: endorsed.getEndorsementsList(),
    rwsets,
    event,
    nonce: signatureHeader.getNonce_asU8(),
  };
}

/**
 * Reads the read/write sets and event of a transaction already recorded as VALID, for replay at start.
 * @throws when the stored envelope does not parse (the chain was tampered with or corrupted).
 */
export function readValidTransaction(bytes: Uint8Array, channelId: string): EndorserTransaction {
  try {
    return parseEndorserTransaction(bytes, channelId);
  } catch (error) {
    if (error instanceof Invalid) throw new Error(`a VALID transaction does not parse (code ${error.code})`);
    throw error;
  }
}

/** Codes given before the transaction's identity could be trusted; such ids do not count as used. */
const HEADER_CODES = new Set<number>([
  TxCode.NIL_ENVELOPE,
  TxCode.BAD_PAYLOAD,
  TxCode.BAD_COMMON_HEADER,
  TxCode.BAD_CHANNEL_HEADER,
  TxCode.TARGET_CHAIN_NOT_FOUND,
  TxCode.UNKNOWN_TX_TYPE,
  TxCode.BAD_CREATOR_SIGNATURE,
  TxCode.BAD_PROPOSAL_TXID,
]);

/** Whether a recorded code means the transaction id was really that submitter's (so a reuse is a duplicate). */
export function claimsTxId(code: number): boolean {
  return !HEADER_CODES.has(code);
}

export interface ValidatorOptions {
  channelId: string;
  chaincodeName: string;
  msp: MspVerifier;
  /** Whether a transaction id is already used on the ledger. */
  isTxIdUsed(txId: string): boolean;
}

/** The outcome for one transaction of a block. */
export interface ValidatedTransaction {
  txId: string;
  code: TxCode;
  /** The transaction's writes in the chaincode namespace, when VALID. */
  rwset: ReadWriteSet | undefined;
  event: peer.ChaincodeEvent | undefined;
}

interface PendingWrite {
  value: Uint8Array | null;
  version: Version;
}

/**
 * Validates the transactions of block `blockNum` in order, as a Fabric committer does: header and
 * creator signature, transaction id, structure, duplicates (on the ledger and earlier in the block),
 * endorsement policy (a valid signature by a peer of the MSP), then MVCC: every read key's version must
 * equal the committed one, counting writes of earlier valid transactions in the same block, and every
 * range scan must return the same keys and versions again (no phantoms).
 * @returns one outcome per transaction; the caller applies the VALID ones' writes.
 */
export function validateBlock(
  pending: PendingTransaction[],
  blockNum: number,
  state: WorldState,
  options: ValidatorOptions,
): ValidatedTransaction[] {
  const updates = new Map<string, PendingWrite>();
  const seen = new Set<string>();

  const committedVersion = (key: string): Version | undefined => {
    const update = updates.get(key);
    if (update) return update.value === null ? undefined : update.version;
    return state.get(key)?.version;
  };

  const readsUnchanged = (reads: KeyRead[]) =>
    reads.every((read) => sameVersion(read.version, committedVersion(read.key)));

  const rangeUnchanged = (range: RangeRead): boolean => {
    const last = range.reads.at(-1)?.key;
    const limit = range.exhausted ? range.endKey : last;
    if (limit === undefined) {
      // Nothing was read and the scan was not exhausted: it observed nothing.
      return true;
    }
    const inRange = (key: string) =>
      compareKeys(key, range.startKey) >= 0 &&
      (range.exhausted ? range.endKey === "" || compareKeys(key, range.endKey) < 0 : compareKeys(key, limit) <= 0);
    const now = new Map<string, Version>();
    for (const [key, entry] of state.range(range.startKey, range.exhausted ? range.endKey : "")) {
      if (!inRange(key)) break;
      now.set(key, entry.version);
    }
    for (const [key, update] of updates) {
      if (!inRange(key)) continue;
      if (update.value === null) now.delete(key);
      else now.set(key, update.version);
    }
    if (now.size !== range.reads.length) return false;
    return range.reads.every((read) => sameVersion(read.version, now.get(read.key)));
  };

  return pending.map((entry, txNum): ValidatedTransaction => {
    let tx: EndorserTransaction | undefined;
    try {
      tx = entry.prepared ?? parseEndorserTransaction(entry.bytes, options.channelId);
      if (!entry.signatureChecked) {
        try {
          options.msp.verify(tx.creator, tx.payloadBytes, tx.signature);
        } catch (error) {
          if (error instanceof AccessDeniedError) throw new Invalid(TxCode.BAD_CREATOR_SIGNATURE);
          throw error;
        }
      }
      if (computeTxId(tx.nonce, tx.creator) !== tx.txId) throw new Invalid(TxCode.BAD_PROPOSAL_TXID);
      if (seen.has(tx.txId) || options.isTxIdUsed(tx.txId)) throw new Invalid(TxCode.DUPLICATE_TXID);
      seen.add(tx.txId);
      if (!entry.prepared && !endorsedByPeer(tx, options)) throw new Invalid(TxCode.ENDORSEMENT_POLICY_FAILURE);
      if (tx.rwsets.some((set) => set.namespace !== options.chaincodeName && set.writes.length > 0)) {
        throw new Invalid(TxCode.ILLEGAL_WRITESET);
      }
      const rwset = tx.rwsets.find((set) => set.namespace === options.chaincodeName);
      if (rwset) {
        if (!readsUnchanged(rwset.reads)) throw new Invalid(TxCode.MVCC_READ_CONFLICT);
        if (!rwset.rangeReads.every(rangeUnchanged)) throw new Invalid(TxCode.PHANTOM_READ_CONFLICT);
        const version = { blockNum, txNum };
        for (const write of rwset.writes) updates.set(write.key, { value: write.value, version });
      }
      return { txId: tx.txId, code: TxCode.VALID, rwset, event: tx.event };
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return { txId: tx?.txId ?? "", code: error.code, rwset: undefined, event: undefined };
    }
  });
}

function endorsedByPeer(tx: EndorserTransaction, options: ValidatorOptions): boolean {
  return tx.endorsements.some((endorsement) => {
    try {
      const endorser = options.msp.verify(
        endorsement.getEndorser_asU8(),
        Buffer.concat([tx.responsePayload, endorsement.getEndorser_asU8()]),
        endorsement.getSignature_asU8(),
      );
      return endorser.certificate.subject.split("\n").includes("OU=peer");
    } catch (error) {
      if (error instanceof AccessDeniedError) return false;
      throw error;
    }
  });
}

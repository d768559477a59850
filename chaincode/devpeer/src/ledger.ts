import { join } from "node:path";
import { common, peer } from "@hyperledger/fabric-protos";
import {
  blockDataHash,
  blockHeaderHash,
  buildBlock,
  type CommittedTransaction,
  committedTransactions,
  genesisConfigEnvelope,
} from "./block.js";
import { BlockStore } from "./block-store.js";
import type { MspVerifier } from "./msp.js";
import type { PeerSigner } from "./transaction.js";
import { claimsTxId, type PendingTransaction, readValidTransaction, validateBlock } from "./validator.js";
import { KeyedWaiters } from "./waiters.js";
import { WorldState } from "./world-state.js";

/** Where and how a transaction was committed. */
export interface TxStatus {
  blockNumber: number;
  txNum: number;
  code: number;
}

/** A block just committed, with what its transactions did. */
export interface CommittedBlock {
  number: number;
  block: common.Block;
  transactions: CommittedTransaction[];
}

export interface LedgerOptions {
  dir: string;
  channelId: string;
  chaincodeName: string;
  mspId: string;
  caCertificatePem: string;
  msp: MspVerifier;
  signer: PeerSigner;
  now?: () => number;
}

/** The stored chain does not verify; the ledger refuses to open on it. */
export class ChainCorruptedError extends Error {
  override readonly name = "ChainCorruptedError";
  constructor(
    readonly blockNumber: number,
    reason: string,
  ) {
    super(`block ${blockNumber}: ${reason}`);
  }
}

const CACHED_SUMMARIES = 256;

/**
 * The channel's ledger: the block file, the world state rebuilt from it, the transaction index, and
 * the commit path (validate, append with one fsync, apply, notify). Commits run one block at a time.
 */
export class Ledger {
  readonly #options: LedgerOptions;
  readonly #store: BlockStore;
  readonly state = new WorldState();
  readonly #txIndex = new Map<string, TxStatus>();
  readonly #hashIndex = new Map<string, number>();
  readonly #summaries = new Map<number, CommittedTransaction[]>();
  readonly #heightWaiters = new KeyedWaiters<number, void>();
  readonly #txWaiters = new KeyedWaiters<string, TxStatus>();
  #lastHeader: common.BlockHeader | undefined;
  #commits: Promise<unknown> = Promise.resolve();

  private constructor(options: LedgerOptions, store: BlockStore) {
    this.#options = options;
    this.#store = store;
  }

  /**
   * Opens the ledger in `options.dir`: replays every stored block (checking the hash chain as it
   * goes) to rebuild world state and indexes, or writes the genesis block on first start.
   * @throws ChainCorruptedError when a stored block's data hash or header chain does not verify.
   */
  static async open(options: LedgerOptions): Promise<Ledger> {
    const { store, blocks } = await BlockStore.open(join(options.dir, "blocks.bin"));
    const ledger = new Ledger(options, store);
    try {
      for (const [number, bytes] of blocks.entries()) ledger.#replay(bytes, number);
      if (store.height === 0) await ledger.#writeGenesis();
    } catch (error) {
      await store.close();
      throw error;
    }
    return ledger;
  }

  #replay(bytes: Uint8Array, number: number): void {
    let block: common.Block;
    try {
      block = common.Block.deserializeBinary(bytes);
    } catch {
      throw new ChainCorruptedError(number, "does not parse");
    }
    const header = block.getHeader();
    if (!header || header.getNumber() !== number) throw new ChainCorruptedError(number, "wrong block number");
    const entries = block.getData()?.getDataList_asU8() ?? [];
    if (!blockDataHash(entries).equals(header.getDataHash_asU8())) {
      throw new ChainCorruptedError(number, "data hash does not match the block's transactions");
    }
    const expectedPrevious = this.#lastHeader ? blockHeaderHash(this.#lastHeader) : Buffer.alloc(0);
    if (!expectedPrevious.equals(header.getPreviousHash_asU8())) {
      throw new ChainCorruptedError(number, "previous hash does not match the previous block's header");
    }
    const transactions = committedTransactions(block);
    transactions.forEach((tx, txNum) => {
      if (tx.code === peer.TxValidationCode.VALID && tx.type === common.HeaderType.ENDORSER_TRANSACTION) {
        let parsed: ReturnType<typeof readValidTransaction>;
        try {
          parsed = readValidTransaction(entries[txNum] as Uint8Array, this.#options.channelId);
        } catch (error) {
          throw new ChainCorruptedError(number, (error as Error).message);
        }
        const rwset = parsed.rwsets.find((set) => set.namespace === this.#options.chaincodeName);
        if (rwset) this.state.apply(rwset.writes, { blockNum: number, txNum });
      }
      this.#index(tx.txId, { blockNumber: number, txNum, code: tx.code });
    });
    this.#advance(header, transactions);
  }

  async #writeGenesis(): Promise<void> {
    const envelope = genesisConfigEnvelope(
      this.#options.channelId,
      this.#options.mspId,
      this.#options.caCertificatePem,
      new Date((this.#options.now ?? Date.now)()),
    );
    const block = buildBlock(0, new Uint8Array(0), [envelope.serializeBinary()], [0], this.#options.signer);
    await this.#store.append(block.serializeBinary());
    this.#advance(block.getHeader() as common.BlockHeader, committedTransactions(block));
  }

  #index(txId: string, status: TxStatus): void {
    if (!txId) return;
    const existing = this.#txIndex.get(txId);
    // The first use of an id stands, unless it was a forgery that never proved who sent it.
    if (!existing || !claimsTxId(existing.code)) this.#txIndex.set(txId, status);
    this.#txWaiters.resolve(txId, this.#txIndex.get(txId) as TxStatus);
  }

  #advance(header: common.BlockHeader, transactions: CommittedTransaction[]): void {
    this.#lastHeader = header;
    const number = header.getNumber();
    this.#hashIndex.set(blockHeaderHash(header).toString("hex"), number);
    this.#summaries.set(number, transactions);
    if (this.#summaries.size > CACHED_SUMMARIES) this.#summaries.delete(number - CACHED_SUMMARIES);
    // The height grows by one per block, so waiters for exactly this height are the ones to wake.
    this.#heightWaiters.resolve(this.height, undefined);
  }

  /** Number of blocks, genesis included. */
  get height(): number {
    return this.#store.height;
  }

  /** Header hash of the last block and its previous hash, as qscc's GetChainInfo reports them. */
  chainInfo(): { height: number; currentBlockHash: Buffer; previousBlockHash: Uint8Array } {
    const header = this.#lastHeader as common.BlockHeader;
    return {
      height: this.height,
      currentBlockHash: blockHeaderHash(header),
      previousBlockHash: header.getPreviousHash_asU8(),
    };
  }

  /** The commit status of `txId`, if it is on the ledger. */
  txStatus(txId: string): TxStatus | undefined {
    return this.#txIndex.get(txId);
  }

  /** Whether `txId` was used by a transaction that proved its submitter (reuse is DUPLICATE_TXID). */
  isTxIdUsed(txId: string): boolean {
    const status = this.#txIndex.get(txId);
    return status !== undefined && claimsTxId(status.code);
  }

  blockNumberByHash(hash: Uint8Array): number | undefined {
    return this.#hashIndex.get(Buffer.from(hash).toString("hex"));
  }

  /** Resolves with `txId`'s status once it is committed; rejects with an AbortError when `signal` aborts. */
  waitForTx(txId: string, signal: AbortSignal): Promise<TxStatus> {
    const known = this.#txIndex.get(txId);
    return known ? Promise.resolve(known) : this.#txWaiters.wait(txId, signal);
  }

  /** Resolves once the ledger has at least `height` blocks; rejects with an AbortError when `signal` aborts. */
  waitForHeight(height: number, signal: AbortSignal): Promise<void> {
    return this.height >= height ? Promise.resolve() : this.#heightWaiters.wait(height, signal);
  }

  /**
   * Validates `pending` as the next block, appends it (one fsync), applies the valid writes and
   * notifies waiters. Calls are queued, so blocks commit strictly one after another.
   */
  commit(pending: PendingTransaction[]): Promise<CommittedBlock> {
    const result = this.#commits.then(() => this.#commitNow(pending));
    this.#commits = result.catch(() => undefined);
    return result;
  }

  async #commitNow(pending: PendingTransaction[]): Promise<CommittedBlock> {
    const number = this.height;
    const validated = validateBlock(pending, number, this.state, {
      channelId: this.#options.channelId,
      chaincodeName: this.#options.chaincodeName,
      msp: this.#options.msp,
      isTxIdUsed: (txId) => this.isTxIdUsed(txId),
    });
    const previousHash = blockHeaderHash(this.#lastHeader as common.BlockHeader);
    const block = buildBlock(
      number,
      previousHash,
      pending.map((tx) => tx.bytes),
      validated.map((tx) => tx.code),
      this.#options.signer,
    );
    await this.#store.append(block.serializeBinary());
    const transactions: CommittedTransaction[] = validated.map((tx, txNum) => {
      if (tx.rwset) this.state.apply(tx.rwset.writes, { blockNum: number, txNum });
      return { txId: tx.txId, type: common.HeaderType.ENDORSER_TRANSACTION, code: tx.code, event: tx.event };
    });
    transactions.forEach((tx, txNum) => {
      this.#index(tx.txId, { blockNumber: number, txNum, code: tx.code });
    });
    this.#advance(block.getHeader() as common.BlockHeader, transactions);
    return { number, block, transactions };
  }

  /** The serialized block `number`. @throws RangeError when there is none. */
  blockBytes(number: number): Promise<Uint8Array> {
    return this.#store.read(number);
  }

  async block(number: number): Promise<common.Block> {
    return common.Block.deserializeBinary(await this.#store.read(number));
  }

  /** The transactions of block `number` (ids, codes, events). @throws RangeError when there is none. */
  async transactionsOf(number: number): Promise<CommittedTransaction[]> {
    const cached = this.#summaries.get(number);
    if (cached) return cached;
    return committedTransactions(await this.block(number));
  }

  /** Waits for queued commits, then closes the block file. */
  async close(): Promise<void> {
    await this.#commits;
    await this.#store.close();
  }
}

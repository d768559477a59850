import { createHash } from "node:crypto";
import { common } from "@hyperledger/fabric-protos";
import { defineEntity, type EntityManager, p } from "@mikro-orm/core";
import type { ChainClient } from "./chain-client.types.js";

/**
 * The chain a consumer of blocks or events (an indexer, the signer's outcome tracker) follows: the
 * channel, the hash of its block 0, and one block it has passed with that block's hash. Lives beside
 * the consumer's checkpoint, in the service's own database; add this entity to its ORM config and
 * migrations.
 */
export const ChainIdentityRecord = defineEntity({
  name: "ChainIdentityRecord",
  tableName: "chain_identity",
  properties: {
    name: p.string().primary().length(100),
    channel: p.string().length(250),
    genesisHash: p.string().length(64),
    blockNumber: p.bigint("bigint").nullable(),
    blockHash: p.string().length(64).nullable(),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

/** A chain as a peer serves it. */
export interface ChainIdentity {
  channel: string;
  /** Hex SHA-256 header hash of block 0. */
  genesisHash: string;
  /** Blocks on the channel, block 0 included. */
  height: bigint;
}

/** A chain as a consumer recorded it. */
export interface RecordedChain {
  channel: string;
  genesisHash: string;
  /** A block the consumer had passed, and its header hash; null before it passed any. */
  blockNumber: bigint | null;
  blockHash: string | null;
}

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const derTagged = (tag: number, bytes: Uint8Array) =>
  Buffer.concat([Buffer.from([tag]), derLength(bytes.length), bytes]);

/**
 * Fabric's block header hash: SHA-256 of the DER SEQUENCE { INTEGER number, OCTET STRING
 * previous_hash, OCTET STRING data_hash }. @returns lowercase hex.
 */
export function blockHeaderHash(block: common.Block): string {
  const header = block.getHeader();
  if (!header) throw new Error("a block without a header");
  let hex = BigInt(header.getNumber()).toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let number = Buffer.from(hex, "hex");
  // A leading 1 bit would read as negative: DER prefixes a zero byte.
  if ((number[0] ?? 0) & 0x80) number = Buffer.concat([Buffer.from([0]), number]);
  const body = Buffer.concat([
    derTagged(0x02, number),
    derTagged(0x04, header.getPreviousHash_asU8()),
    derTagged(0x04, header.getDataHash_asU8()),
  ]);
  return createHash("sha256").update(derTagged(0x30, body)).digest("hex");
}

/** The chain `chain` is connected to: its channel, the hash of its block 0 and its height. */
export async function currentChainIdentity(chain: Pick<ChainClient, "profile" | "height" | "block">) {
  const [height, genesis] = await Promise.all([chain.height(), chain.block(0n)]);
  return { channel: chain.profile.channel, genesisHash: blockHeaderHash(genesis), height } satisfies ChainIdentity;
}

const short = (hash: string | null) => (hash ? hash.slice(0, 12) : "?");

/**
 * The recorded chain is not the one the peer serves (another channel or network, a chain started
 * over, a restored backup). Its message names both chains and the command that fixes it.
 */
export class ChainMismatchError extends Error {
  override readonly name = "ChainMismatchError";
  /** Fit for a public readiness probe: channel names, block hashes and a command, nothing private. */
  get publicMessage(): string {
    return this.message;
  }
  constructor(
    readonly consumer: string,
    /** Null when the consumer had no record yet (a checkpoint older than this check). */
    readonly recorded: RecordedChain | null,
    readonly checkpoint: bigint | null,
    readonly current: ChainIdentity,
    readonly reason: string,
    readonly fix: string,
  ) {
    const upTo = checkpoint !== null ? `, up to block ${checkpoint}` : "";
    const followed = recorded
      ? `channel "${recorded.channel}" (block 0 ${short(recorded.genesisHash)}${upTo})`
      : `a chain it kept no record of (${upTo ? upTo.slice(2) : "no checkpoint"})`;
    super(
      `${consumer} indexed ${followed}, but the peer serves ` +
        `channel "${current.channel}" (block 0 ${short(current.genesisHash)}, height ${current.height}): ${reason}. ` +
        `Its read models describe another chain and it will not follow this one. Fix: ${fix}`,
    );
  }
}

/**
 * Compares what a consumer recorded (and its checkpoint) with the chain the peer serves.
 * @returns why they differ, or null when the peer serves the recorded chain (or a longer one).
 */
export async function chainDifference(
  chain: Pick<ChainClient, "block">,
  recorded: RecordedChain | null,
  checkpoint: bigint | null,
  current: ChainIdentity,
): Promise<string | null> {
  if (recorded && recorded.channel !== current.channel) return "another channel";
  if (recorded && recorded.genesisHash !== current.genesisHash) return "another chain (block 0 differs)";
  if (checkpoint !== null && checkpoint >= current.height)
    return `the chain is shorter than the checkpoint (block ${checkpoint})`;
  if (recorded?.blockNumber != null && recorded.blockHash) {
    if (recorded.blockNumber >= current.height)
      return `the chain is shorter than the checkpoint (block ${recorded.blockNumber})`;
    const hash = blockHeaderHash(await chain.block(recorded.blockNumber));
    if (hash !== recorded.blockHash)
      return `block ${recorded.blockNumber} has another hash (${short(hash)}, recorded ${short(recorded.blockHash)})`;
  }
  return null;
}

export interface ChainGuardOptions {
  chain: Pick<ChainClient, "profile" | "height" | "block">;
  /** Any EntityManager of the service's database; it is forked, never used directly. */
  em: EntityManager;
  /** The consumer's name (its checkpoint's name), also the `chain_identity` row's. */
  name: string;
  /** The command that rebuilds this consumer's state, as the error tells it. */
  fix: string;
  /** Told once per distinct mismatch (a log line); must not throw. */
  onMismatch?(error: ChainMismatchError): void;
}

/** A consumer's check that the peer serves the chain it has been following. */
export interface ChainGuard {
  readonly name: string;
  /**
   * Compares the recorded chain (and `checkpoint`, the block the consumer stands at) with the peer's,
   * and on success records the peer's identity and the checkpoint's block hash.
   * @throws ChainMismatchError when they differ (remembered for `problem()`), or the transport's error.
   */
  verify(checkpoint: bigint | undefined | null): Promise<void>;
  /** The last verification's mismatch, or null (also before the first verification). */
  problem(): ChainMismatchError | null;
  /** For `/ready`: throws the mismatch. */
  readiness: { name: string; check(): Promise<void> };
  /** Deletes the record (a reindex starts over from block 0 of whatever chain the peer serves). */
  forget(): Promise<void>;
}

interface Row {
  channel: string;
  genesis_hash: string;
  block_number: string | number | null;
  block_hash: string | null;
}

/** Builds the guard of the consumer `name`; reads nothing until `verify`. */
export function createChainGuard(options: ChainGuardOptions): ChainGuard {
  const { chain, em, name, fix } = options;
  let mismatch: ChainMismatchError | null = null;
  const connection = () => em.fork().getConnection();

  const load = async (): Promise<RecordedChain | null> => {
    const [row] = (await connection().execute(
      "select channel, genesis_hash, block_number, block_hash from chain_identity where name = ?",
      [name],
    )) as Row[];
    if (!row) return null;
    return {
      channel: row.channel,
      genesisHash: row.genesis_hash,
      blockNumber: row.block_number === null ? null : BigInt(row.block_number),
      blockHash: row.block_hash,
    };
  };

  return {
    name,
    async verify(at) {
      const checkpoint = at ?? null;
      const recorded = await load();
      const current = await currentChainIdentity(chain);
      const reason = await chainDifference(chain, recorded, checkpoint, current);
      if (reason) {
        const error = new ChainMismatchError(name, recorded, checkpoint, current, reason, fix);
        if (mismatch?.message !== error.message) options.onMismatch?.(error);
        mismatch = error;
        throw error;
      }
      mismatch = null;
      const anchor = checkpoint !== null && checkpoint > 0n ? checkpoint : (recorded?.blockNumber ?? null);
      const anchorHash =
        anchor === null
          ? null
          : anchor === recorded?.blockNumber
            ? recorded.blockHash
            : blockHeaderHash(await chain.block(anchor));
      await connection().execute(
        `insert into chain_identity (name, channel, genesis_hash, block_number, block_hash, updated_at)
         values (?, ?, ?, ?, ?, utc_timestamp())
         on duplicate key update channel = values(channel), genesis_hash = values(genesis_hash),
           block_number = values(block_number), block_hash = values(block_hash), updated_at = values(updated_at)`,
        [name, current.channel, current.genesisHash, anchor?.toString() ?? null, anchorHash],
      );
    },
    problem: () => mismatch,
    readiness: {
      name: "chain",
      async check() {
        if (mismatch) throw mismatch;
      },
    },
    async forget() {
      mismatch = null;
      await connection().execute("delete from chain_identity where name = ?", [name]);
    },
  };
}

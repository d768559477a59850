import { type FileHandle, open } from "node:fs/promises";

const LENGTH_BYTES = 4;
const CACHED_BLOCKS = 256;

/**
 * An append-only file of blocks, each stored as a 4-byte big-endian length and the serialized
 * `common.Block`. One `datasync` per block, never per transaction. A torn record at the end (a crash
 * mid-append) is cut off at open; everything before it is intact.
 */
export class BlockStore {
  readonly #file: FileHandle;
  readonly #offsets: number[];
  readonly #lengths: number[];
  #end: number;
  readonly #recent = new Map<number, Uint8Array>();

  private constructor(file: FileHandle, offsets: number[], lengths: number[], end: number) {
    this.#file = file;
    this.#offsets = offsets;
    this.#lengths = lengths;
    this.#end = end;
  }

  /**
   * Opens (or creates) the block file at `path`.
   * @returns the store and every stored block's bytes, in order, for the ledger to replay.
   */
  static async open(path: string): Promise<{ store: BlockStore; blocks: Uint8Array[] }> {
    const file = await open(path, "a+");
    const contents = await file.readFile();
    const offsets: number[] = [];
    const lengths: number[] = [];
    const blocks: Uint8Array[] = [];
    let at = 0;
    while (at + LENGTH_BYTES <= contents.length) {
      const length = contents.readUInt32BE(at);
      if (at + LENGTH_BYTES + length > contents.length) break;
      offsets.push(at + LENGTH_BYTES);
      lengths.push(length);
      blocks.push(contents.subarray(at + LENGTH_BYTES, at + LENGTH_BYTES + length));
      at += LENGTH_BYTES + length;
    }
    if (at !== contents.length) await file.truncate(at);
    return { store: new BlockStore(file, offsets, lengths, at), blocks };
  }

  /** Number of stored blocks. */
  get height(): number {
    return this.#offsets.length;
  }

  /** Appends the next block and waits until it is on disk. */
  async append(block: Uint8Array): Promise<void> {
    const length = Buffer.allocUnsafe(LENGTH_BYTES);
    length.writeUInt32BE(block.length, 0);
    // Two buffers in one write: copying a block of megabytes behind its length prefix costs more CPU
    // (a fresh allocation, page faults, the copy and the garbage collection it triggers) than the write.
    await this.#file.writev([length, block], this.#end);
    await this.#file.datasync();
    this.#offsets.push(this.#end + LENGTH_BYTES);
    this.#lengths.push(block.length);
    this.#end += LENGTH_BYTES + block.length;
    this.#recent.set(this.height - 1, block);
    if (this.#recent.size > CACHED_BLOCKS) this.#recent.delete(this.height - 1 - CACHED_BLOCKS);
  }

  /**
   * Reads block `number`.
   * @throws RangeError when there is no such block.
   */
  async read(number: number): Promise<Uint8Array> {
    const cached = this.#recent.get(number);
    if (cached) return cached;
    const offset = this.#offsets[number];
    const length = this.#lengths[number];
    if (offset === undefined || length === undefined) throw new RangeError(`no block ${number}`);
    const buffer = Buffer.allocUnsafe(length);
    await this.#file.read(buffer, 0, length, offset);
    return buffer;
  }

  async close(): Promise<void> {
    await this.#file.close();
  }
}

import { createHash, randomBytes } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";

/** Why an upload was refused. */
export class UploadRejected extends Error {
  override readonly name = "UploadRejected";
}

export interface StoredFile {
  size: number;
  sha256: string;
}

export interface EvidenceStore {
  /**
   * Streams `body` to storage, refusing it (and keeping nothing) when it exceeds `expected.size`,
   * ends short, or hashes differently.
   * @throws UploadRejected
   */
  put(id: string, body: Readable, expected: StoredFile): Promise<void>;
  /** @returns a stream of the file, or null when it is not stored. */
  get(id: string): Promise<Readable | null>;
}

const SAFE_ID = /^[0-9a-f-]{36}$/;
/** Bytes read and dropped past the declared size before the connection is cut. */
const DRAIN_LIMIT = 64 * 1024;

/**
 * Evidence on local disk: one file per evidence id. Ids are UUIDs we generated, checked again here
 * so no path can leave the directory; bytes go to a temporary file renamed into place only after
 * the size and SHA-256 match the declaration.
 */
export function createDiskEvidenceStore(dir: string): EvidenceStore {
  const path = (id: string) => {
    if (!SAFE_ID.test(id)) throw new UploadRejected("bad evidence id");
    return join(dir, id);
  };
  return {
    async put(id, body, expected) {
      const final = path(id);
      await mkdir(dir, { recursive: true });
      const temp = join(dir, `.upload-${id}-${randomBytes(4).toString("hex")}`);
      const out = createWriteStream(temp, { flags: "wx", mode: 0o600 });
      const hash = createHash("sha256");
      let size = 0;
      try {
        for await (const chunk of body) {
          const buffer = chunk as Buffer;
          size += buffer.length;
          // Keep reading (and discarding) a little past the limit so the client gets our answer
          // instead of a reset connection; beyond that, cut it off.
          if (size > expected.size + DRAIN_LIMIT) break;
          if (size > expected.size) continue;
          hash.update(buffer);
          if (!out.write(buffer)) await once(out, "drain");
        }
        out.end();
        await once(out, "close");
        if (size > expected.size)
          throw new UploadRejected(`the file is larger than the declared ${expected.size} bytes`);
        if (size !== expected.size) throw new UploadRejected(`got ${size} bytes, declared ${expected.size}`);
        if (hash.digest("hex") !== expected.sha256)
          throw new UploadRejected("the SHA-256 does not match the declared one");
        await rename(temp, final);
      } catch (error) {
        out.destroy();
        await rm(temp, { force: true });
        throw error instanceof UploadRejected
          ? error
          : new UploadRejected(`the upload failed: ${(error as Error).message}`);
      }
    },
    async get(id) {
      const file = path(id);
      try {
        await stat(file);
      } catch {
        return null;
      }
      return createReadStream(file);
    },
  };
}

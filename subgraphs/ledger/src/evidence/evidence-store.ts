import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

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
      const hash = createHash("sha256");
      let size = 0;
      body.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > expected.size)
          body.destroy(new UploadRejected(`the file is larger than the declared ${expected.size} bytes`));
        else hash.update(chunk);
      });
      try {
        await pipeline(body, createWriteStream(temp, { flags: "wx", mode: 0o600 }));
        if (size !== expected.size) throw new UploadRejected(`got ${size} bytes, declared ${expected.size}`);
        if (hash.digest("hex") !== expected.sha256)
          throw new UploadRejected("the SHA-256 does not match the declared one");
        await rename(temp, final);
      } catch (error) {
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

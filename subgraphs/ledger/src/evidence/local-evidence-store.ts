import { createHash, randomBytes } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { checkedId, type EvidenceStore, UploadRejected } from "./evidence-store.js";
import type { SignedUrlSigner } from "./signed-url.js";

/** Bytes read and dropped past the declared size before the connection is cut. */
const DRAIN_LIMIT = 64 * 1024;

export interface LocalEvidenceStoreOptions {
  dir: string;
  /** Signs the `PUT|GET <public url>/evidence/<id>` links the ledger answers itself. */
  urls: SignedUrlSigner;
}

/**
 * Evidence on local disk behind the ledger's own signed URLs: one file per evidence id. Bytes go to
 * a temporary file renamed into place only after the size and SHA-256 match the declaration, so a
 * stored file is always a confirmed one.
 */
export function createLocalEvidenceStore(options: LocalEvidenceStoreOptions): EvidenceStore {
  const { dir, urls } = options;
  const path = (id: string) => join(dir, checkedId(id));
  return {
    kind: "local",
    uploadUrl: async (file, expSeconds) => urls.url("PUT", checkedId(file.id), expSeconds),
    downloadUrl: async (file, expSeconds) => urls.url("GET", checkedId(file.id), expSeconds),
    async confirm(file) {
      const found = await stat(path(file.id)).catch(() => null);
      if (!found) return "nothing was uploaded";
      return found.size === file.size ? null : `${found.size} bytes are stored, ${file.size} were declared`;
    },
    served: {
      verify: (action, id, exp, sig, nowMs) => urls.verify(action, id, exp, sig, nowMs),
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
          // Only the client's own mistakes are told to the client; a disk error (with its path) is
          // the server's, answered 500 without detail and logged.
          throw error;
        }
      },
      async get(id) {
        const file = path(id);
        if (!(await stat(file).catch(() => null))) return null;
        return createReadStream(file);
      },
    },
    dispose() {},
  };
}

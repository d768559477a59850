import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import { type Clock, errors, type Viewer } from "@clearbook/kit";
import type { EntityManager } from "@mikro-orm/mariadb";
import { type Evidence, EvidenceEntity } from "../db/evidence.entity.js";
import { requireUser } from "../org/access.js";
import { type EvidenceStore, UploadRejected } from "./evidence-store.js";

/** Receipts and invoices: PDF and common image types. */
export const ALLOWED_CONTENT_TYPES = [
  "application/pdf",
  "image/png",
  "image/jpeg",
  "image/webp",
  "text/plain",
  "text/csv",
];

export interface EvidenceServiceDeps {
  clock: Clock;
  store: EvidenceStore;
  urlTtlSeconds: number;
  maxBytes: number;
}

export interface EvidenceUpload {
  evidence: Evidence;
  uploadUrl: string;
  expiresAt: Date;
}

/** Outcome of an upload or download attempt at the HTTP edge. */
export type TransferOutcome =
  | { ok: true; contentType?: string; body?: Readable }
  | { ok: false; status: 400 | 403 | 404 | 409 | 413; message: string };

/**
 * Evidence files: declared first (name, type, size, SHA-256), then uploaded once to a signed URL of
 * the store, and counted (`uploadedAt`) only once the store holds bytes that match the declaration.
 */
export function createEvidenceService(deps: EvidenceServiceDeps) {
  const expiry = () => Math.floor(deps.clock.now() / 1000) + deps.urlTtlSeconds;

  return {
    /** @throws UNAUTHENTICATED when anonymous, BAD_USER_INPUT for a bad declaration. */
    async createUpload(
      em: EntityManager,
      viewer: Viewer,
      input: { fileName: string; contentType: string; size: number; sha256: string },
    ): Promise<EvidenceUpload> {
      const uploaderId = requireUser(viewer);
      const fileName = input.fileName.trim();
      if (!fileName || fileName.length > 255 || /[/\\\0]/.test(fileName)) {
        throw errors.badInput("Give a plain file name without slashes.", "fileName");
      }
      if (!ALLOWED_CONTENT_TYPES.includes(input.contentType)) {
        throw errors.badInput(`The content type must be one of ${ALLOWED_CONTENT_TYPES.join(", ")}.`, "contentType");
      }
      if (!Number.isInteger(input.size) || input.size < 1 || input.size > deps.maxBytes) {
        throw errors.badInput(`The size must be between 1 and ${deps.maxBytes} bytes.`, "size");
      }
      const sha256 = input.sha256.toLowerCase();
      if (!/^[0-9a-f]{64}$/.test(sha256)) throw errors.badInput("The SHA-256 must be 64 hex digits.", "sha256");
      const evidence = em.create(EvidenceEntity, {
        id: randomUUID(),
        uploaderId,
        fileName,
        contentType: input.contentType,
        size: input.size,
        sha256,
        uploadedAt: null,
        createdAt: new Date(deps.clock.now()),
      });
      await em.flush();
      const exp = expiry();
      return { evidence, uploadUrl: await deps.store.uploadUrl(evidence, exp), expiresAt: new Date(exp * 1000) };
    },

    /** A download URL for a stored file (public: evidence backs public books). */
    downloadUrl(evidence: Evidence): Promise<string> {
      return deps.store.downloadUrl(evidence, expiry());
    },

    /**
     * Marks each declared, not yet counted file uploaded when the store now holds matching bytes
     * (uploads to S3 go around the ledger, so this is where they are noticed). The caller flushes.
     * @returns why each file that still does not count does not, by id.
     * @throws when the store cannot be reached.
     */
    async confirmUploads(files: Evidence[]): Promise<Map<string, string>> {
      const pending = files.filter((file) => !file.uploadedAt);
      const verdicts = await Promise.all(pending.map((file) => deps.store.confirm(file)));
      const refused = new Map<string, string>();
      pending.forEach((file, i) => {
        const verdict = verdicts[i];
        if (verdict) refused.set(file.id, verdict);
        else file.uploadedAt = new Date(deps.clock.now());
      });
      return refused;
    },

    /** Handles `PUT /evidence/<id>?exp=&sig=`. */
    async receive(
      em: EntityManager,
      id: string,
      query: { exp: string | null; sig: string | null },
      contentType: string | undefined,
      body: Readable,
    ): Promise<TransferOutcome> {
      const served = deps.store.served;
      if (!served) return { ok: false, status: 404, message: "Evidence is uploaded to the store's own URL." };
      if (!served.verify("PUT", id, query.exp, query.sig, deps.clock.now())) {
        return { ok: false, status: 403, message: "The upload link is invalid or has expired." };
      }
      const evidence = await em.findOne(EvidenceEntity, { id });
      if (!evidence) return { ok: false, status: 404, message: "Unknown evidence." };
      if (evidence.uploadedAt) return { ok: false, status: 409, message: "This file was already uploaded." };
      if ((contentType ?? "").split(";")[0]?.trim() !== evidence.contentType) {
        return { ok: false, status: 400, message: `Send it as ${evidence.contentType}.` };
      }
      try {
        await served.put(id, body, { size: evidence.size, sha256: evidence.sha256 });
      } catch (error) {
        // The store's own failures (disk, network) carry paths and hosts: they become a 500 without detail.
        if (!(error instanceof UploadRejected)) throw error;
        return { ok: false, status: error.message.includes("larger") ? 413 : 400, message: error.message };
      }
      evidence.uploadedAt = new Date(deps.clock.now());
      await em.flush();
      return { ok: true };
    },

    /** Handles `GET /evidence/<id>?exp=&sig=`. */
    async send(
      em: EntityManager,
      id: string,
      query: { exp: string | null; sig: string | null },
    ): Promise<TransferOutcome> {
      const served = deps.store.served;
      if (!served) return { ok: false, status: 404, message: "Evidence is served from the store's own URL." };
      if (!served.verify("GET", id, query.exp, query.sig, deps.clock.now())) {
        return { ok: false, status: 403, message: "The link is invalid or has expired." };
      }
      const evidence = await em.findOne(EvidenceEntity, { id });
      const body = evidence?.uploadedAt ? await served.get(id) : null;
      if (!evidence || !body) return { ok: false, status: 404, message: "Unknown evidence." };
      return { ok: true, contentType: evidence.contentType, body };
    },

    byIds: (em: EntityManager, ids: string[]) =>
      ids.length ? em.find(EvidenceEntity, { id: { $in: ids } }) : Promise.resolve([]),

    /** Closes the store's connections. */
    dispose: () => deps.store.dispose(),
  };
}

export type EvidenceService = ReturnType<typeof createEvidenceService>;

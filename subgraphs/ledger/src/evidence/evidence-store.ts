import type { Readable } from "node:stream";
import type { UrlAction } from "./signed-url.js";

/** Why an upload was refused. */
export class UploadRejected extends Error {
  override readonly name = "UploadRejected";
}

/** An evidence file as declared to `createEvidenceUpload`; stores check the bytes against it. */
export interface DeclaredFile {
  /** A server-made UUID: the only part of a file name or object key. */
  id: string;
  contentType: string;
  size: number;
  /** Lower-case hex. */
  sha256: string;
}

export interface StoredFile {
  size: number;
  sha256: string;
}

/**
 * Where evidence bytes live. Clients never send bytes through GraphQL: they PUT them to the upload
 * URL and fetch them from the download URL; the store decides who answers those URLs (the ledger
 * itself, or S3) and how the declaration is enforced there.
 */
export interface EvidenceStore {
  readonly kind: "local" | "s3";
  /**
   * @returns a URL, valid until `expSeconds` (Unix seconds), that accepts exactly the declared bytes
   * with `Content-Type` and `x-amz-checksum-sha256` (base64 of the declared SHA-256) headers.
   */
  uploadUrl(file: DeclaredFile, expSeconds: number): Promise<string>;
  /** @returns a URL, valid until `expSeconds`, that serves the stored bytes. */
  downloadUrl(file: DeclaredFile, expSeconds: number): Promise<string>;
  /**
   * Checks what the store holds for `file` against its declaration.
   * @returns null when the stored bytes match it (size, type, SHA-256), else why not.
   * @throws when the store cannot be reached (the caller retries later).
   */
  confirm(file: DeclaredFile): Promise<string | null>;
  /** Present when the ledger itself answers the URLs (`PUT|GET /evidence/<id>`): the local store. */
  readonly served?: ServedEvidence;
  dispose(): void;
}

/** The ledger's side of URLs it serves itself. */
export interface ServedEvidence {
  /** @returns true when `sig` signs this action and id and `exp` has not passed. */
  verify(action: UrlAction, id: string, exp: string | null, sig: string | null, nowMs: number): boolean;
  /**
   * Streams `body` to storage, refusing it (and keeping nothing) when it exceeds `expected.size`,
   * ends short, or hashes differently.
   * @throws UploadRejected
   */
  put(id: string, body: Readable, expected: StoredFile): Promise<void>;
  /** @returns a stream of the file, or null when it is not stored. */
  get(id: string): Promise<Readable | null>;
}

const SAFE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Ids are UUIDs the ledger made; checked again wherever one becomes a path or an object key, so no
 * user-supplied text ever names a location.
 * @throws UploadRejected for anything but a lower-case UUID.
 */
export function checkedId(id: string): string {
  if (!SAFE_ID.test(id)) throw new UploadRejected("bad evidence id");
  return id;
}

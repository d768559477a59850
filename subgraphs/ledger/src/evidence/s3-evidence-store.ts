import {
  GetObjectCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { Clock } from "@clearbook/kit";
import { checkedId, type DeclaredFile, type EvidenceStore } from "./evidence-store.js";

export interface S3EvidenceStoreOptions {
  bucket: string;
  region: string;
  /** An S3-compatible endpoint (MinIO, Ceph, R2…); AWS's own when absent. */
  endpoint?: string;
  /** `<endpoint>/<bucket>/<key>` instead of `<bucket>.<endpoint>/<key>` (MinIO needs it). */
  forcePathStyle?: boolean;
  /** Explicit keys (tests); the AWS SDK's standard chain (env, profile, IMDS, web identity) when absent. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Signing time, so URLs expire on the same clock as the rest of the ledger. */
  clock: Clock;
}

/** Object key of an evidence file: from its id only, never from anything a user typed. */
export const objectKey = (id: string) => `evidence/${checkedId(id)}`;

/** The `x-amz-checksum-sha256` value for a hex SHA-256. */
export const checksumOf = (sha256Hex: string) => Buffer.from(sha256Hex, "hex").toString("base64");

/**
 * Evidence in an S3 bucket behind presigned URLs; the bytes never pass through the ledger.
 *
 * The upload URL signs `Content-Length`, `Content-Type` and `x-amz-checksum-sha256` as headers
 * (not hoisted into the query string, where S3 ignores a checksum), so S3 itself refuses a body of
 * another size, type or hash, and any other header value breaks the signature. `confirm` then reads
 * the object's size, type and stored SHA-256 back with HeadObject before the evidence counts.
 */
export function createS3EvidenceStore(options: S3EvidenceStoreOptions): EvidenceStore {
  const client = new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle ?? false,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    // Checksums are ours to declare: without this the SDK would sign a CRC32 of the empty body into
    // every presigned PUT, and a `x-amz-checksum-mode` into every GET link.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  const { bucket, clock } = options;

  /** Presigns `command` from the ledger's clock so the URL dies at `expSeconds` exactly. */
  const presign = (
    command: PutObjectCommand | GetObjectCommand,
    expSeconds: number,
    headers?: { signableHeaders: Set<string>; unhoistableHeaders: Set<string> },
  ) => {
    const nowMs = clock.now();
    const signingDate = new Date(Math.floor(nowMs / 1000) * 1000);
    const expiresIn = Math.max(1, expSeconds - Math.floor(nowMs / 1000));
    return getSignedUrl(client, command, { signingDate, expiresIn, ...headers });
  };

  return {
    kind: "s3",
    async uploadUrl(file: DeclaredFile, expSeconds: number) {
      const command = new PutObjectCommand({
        Bucket: bucket,
        Key: objectKey(file.id),
        ContentLength: file.size,
        ContentType: file.contentType,
        ChecksumAlgorithm: "SHA256",
        ChecksumSHA256: checksumOf(file.sha256),
      });
      return presign(command, expSeconds, {
        // The S3 presigner leaves Content-Type unsigned by default; we pin it.
        signableHeaders: new Set(["content-type", "content-length"]),
        unhoistableHeaders: new Set(["x-amz-checksum-sha256"]),
      });
    },
    async downloadUrl(file: DeclaredFile, expSeconds: number) {
      const command = new GetObjectCommand({
        Bucket: bucket,
        Key: objectKey(file.id),
        ResponseContentDisposition: "attachment",
      });
      return presign(command, expSeconds);
    },
    async confirm(file: DeclaredFile) {
      let head: HeadObjectCommandOutput;
      try {
        head = await client.send(
          new HeadObjectCommand({ Bucket: bucket, Key: objectKey(file.id), ChecksumMode: "ENABLED" }),
        );
      } catch (error) {
        if (error instanceof NotFound) return "nothing was uploaded";
        if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)
          return "nothing was uploaded";
        throw error;
      }
      if (head.ContentLength !== file.size) return `${head.ContentLength} bytes are stored, ${file.size} were declared`;
      if (head.ContentType !== file.contentType) return `it is stored as ${head.ContentType}, not ${file.contentType}`;
      if (head.ChecksumSHA256 !== checksumOf(file.sha256)) return "its SHA-256 is not the declared one";
      return null;
    },
    dispose: () => client.destroy(),
  };
}

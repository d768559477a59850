import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { common } from "@hyperledger/fabric-protos";
import { blockDataHash, blockHeaderBytes, blockHeaderHash } from "./block.js";
import { BlockStore } from "./block-store.js";
import { verifySignature } from "./crypto.js";

/** The outcome of checking a stored chain. */
export type ChainVerification =
  | { ok: true; height: number }
  | { ok: false; height: number; firstBadBlock: number; reason: string };

/**
 * Checks one block against its predecessor's header hash: number, data hash over its envelopes,
 * previous hash, and, when `signer` is given, the block signature in the SIGNATURES metadata.
 * @returns the reason it fails, or undefined when it verifies.
 */
export function checkBlock(
  block: common.Block,
  number: number,
  previousHeader: common.BlockHeader | undefined,
  signer?: X509Certificate,
): string | undefined {
  const header = block.getHeader();
  if (!header) return "has no header";
  if (header.getNumber() !== number) return `claims number ${header.getNumber()}`;
  const entries = block.getData()?.getDataList_asU8() ?? [];
  if (!blockDataHash(entries).equals(header.getDataHash_asU8())) return "data hash does not match its transactions";
  const expectedPrevious = previousHeader ? blockHeaderHash(previousHeader) : Buffer.alloc(0);
  if (!expectedPrevious.equals(header.getPreviousHash_asU8())) return "previous hash does not match the previous block";
  if (signer) {
    const slot = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.SIGNATURES];
    const metadata = common.Metadata.deserializeBinary(slot ?? new Uint8Array());
    const signature = metadata.getSignaturesList()[0];
    const signed = signature
      ? Buffer.concat([metadata.getValue_asU8(), signature.getSignatureHeader_asU8(), blockHeaderBytes(header)])
      : undefined;
    if (!signature || !signed || !verifySignature(signer.publicKey, signed, signature.getSignature_asU8())) {
      return "block signature does not verify";
    }
  }
  return undefined;
}

/**
 * Verifies the whole chain stored in a devpeer directory: every block's data hash, the header hash
 * chain from genesis, and each block's signature by the devpeer's identity (`peer/cert.pem`).
 * Reads the files only; a running devpeer is not needed (nor disturbed).
 * @returns ok with the height, or the first bad block and why.
 */
export async function verifyChainFiles(dir: string): Promise<ChainVerification> {
  const signer = new X509Certificate(await readFile(join(dir, "peer", "cert.pem")));
  const { store, blocks } = await BlockStore.open(join(dir, "blocks.bin"));
  await store.close();
  let previous: common.BlockHeader | undefined;
  for (const [number, bytes] of blocks.entries()) {
    let block: common.Block;
    try {
      block = common.Block.deserializeBinary(bytes);
    } catch {
      return { ok: false, height: blocks.length, firstBadBlock: number, reason: "does not parse" };
    }
    const reason = checkBlock(block, number, previous, signer);
    if (reason) return { ok: false, height: blocks.length, firstBadBlock: number, reason };
    previous = block.getHeader();
  }
  return { ok: true, height: blocks.length };
}

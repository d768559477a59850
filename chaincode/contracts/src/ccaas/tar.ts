import { gzipSync } from "node:zlib";

/**
 * A minimal, deterministic ustar writer (regular files only, mtime 0, owner root), enough for a
 * Fabric ccaas package. Deterministic bytes give a stable package id (`<label>:<sha256>`).
 */
export interface TarFile {
  name: string;
  content: Buffer;
}

const BLOCK = 512;

function header(name: string, size: number): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`tar entry name too long: ${name}`);
  const block = Buffer.alloc(BLOCK, 0);
  const field = (offset: number, length: number, value: string) => block.write(value, offset, length, "ascii");
  const octal = (offset: number, length: number, value: number) =>
    field(offset, length, `${value.toString(8).padStart(length - 1, "0")}\0`);
  block.write(name, 0, 100, "utf8");
  octal(100, 8, 0o644);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, size);
  octal(136, 12, 0);
  field(148, 8, "        "); // checksum is computed with its own field as spaces
  field(156, 1, "0");
  field(257, 6, "ustar\0");
  field(263, 2, "00");
  field(265, 32, "root");
  field(297, 32, "root");
  let sum = 0;
  for (const byte of block) sum += byte;
  field(148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
  return block;
}

export function tar(files: TarFile[]): Buffer {
  const parts: Buffer[] = [];
  for (const file of files) {
    parts.push(header(file.name, file.content.length), file.content);
    const padding = (BLOCK - (file.content.length % BLOCK)) % BLOCK;
    parts.push(Buffer.alloc(padding, 0));
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0));
  return Buffer.concat(parts);
}

/** gzip with a fixed header (no name, mtime 0), so equal input gives equal bytes. */
export function tarGz(files: TarFile[]): Buffer {
  return gzipSync(tar(files), { level: 9 });
}

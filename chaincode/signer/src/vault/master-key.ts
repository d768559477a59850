import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

export interface MasterKeySource {
  /** Base64 of 32 bytes (`SIGNER_MASTER_KEY`). */
  base64?: string | undefined;
  /** A file holding the base64 key (`SIGNER_MASTER_KEY_FILE`, e.g. a mounted Kubernetes secret). */
  file?: string | undefined;
  /** Where a development key is generated once when neither is given; `undefined` forbids that (production). */
  devFile?: string | undefined;
}

function decode(base64: string, where: string): Buffer {
  const key = Buffer.from(base64.trim(), "base64");
  if (key.length !== 32) throw new Error(`${where} must be base64 of exactly 32 bytes (got ${key.length})`);
  return key;
}

/**
 * Finds the master key: the variable, else the file, else (development only) a key generated once
 * into `devFile` and reused on later starts.
 * @throws when no source is available or the key is not 32 bytes.
 */
export async function loadMasterKey(source: MasterKeySource): Promise<Buffer> {
  if (source.base64) return decode(source.base64, "SIGNER_MASTER_KEY");
  if (source.file) return decode(await readFile(source.file, "utf8"), `SIGNER_MASTER_KEY_FILE ${source.file}`);
  if (!source.devFile) throw new Error("SIGNER_MASTER_KEY or SIGNER_MASTER_KEY_FILE is required in production");
  try {
    return decode(await readFile(source.devFile, "utf8"), source.devFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const key = randomBytes(32);
  await mkdir(dirname(source.devFile), { recursive: true });
  // "wx": two signers starting at once must not both write; the loser reads the winner's key.
  try {
    await writeFile(source.devFile, key.toString("base64"), { mode: 0o600, flag: "wx" });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return decode(await readFile(source.devFile, "utf8"), source.devFile);
  }
}

import { readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";

/** Another devpeer (this process or another) is using the data directory. */
export class DirectoryInUseError extends Error {
  override readonly name = "DirectoryInUseError";
}

const lockedHere = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes `<dir>/LOCK` (holding this process's pid), so two devpeers never append to one block file.
 * A lock left by a process that no longer runs is taken over.
 * @returns a function that releases the lock.
 * @throws DirectoryInUseError when a live process holds it.
 */
export async function lockDirectory(dir: string): Promise<() => Promise<void>> {
  const key = resolve(dir);
  const path = join(dir, "LOCK");
  if (lockedHere.has(key)) throw new DirectoryInUseError(`${dir} is already used by a devpeer in this process`);
  try {
    await writeFile(path, String(process.pid), { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const holder = Number((await readFile(path, "utf8")).trim());
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
      throw new DirectoryInUseError(`${dir} is used by another devpeer (process ${holder})`);
    }
    await writeFile(path, String(process.pid));
  }
  lockedHere.add(key);
  return async () => {
    lockedHere.delete(key);
    await rm(path, { force: true });
  };
}

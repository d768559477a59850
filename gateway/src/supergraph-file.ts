import { type FSWatcher, watch } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname } from "node:path";
import type { SupergraphSdlHook } from "@apollo/gateway";
import { EMPTY_SUPERGRAPH } from "./compose.js";

export interface SupergraphFileOptions {
  path: string;
  /** Coalesces the bursts of events one save produces (default 100 ms). */
  debounceMs?: number;
  /** Told about a changed file that could not be loaded; the previous schema stays in service. */
  onError?: (error: unknown) => void;
}

async function readSupergraph(path: string): Promise<string> {
  const sdl = await readFile(path, "utf8");
  if (sdl === EMPTY_SUPERGRAPH || sdl.trim() === "") {
    throw new Error(`${path} holds no supergraph yet: publish a subgraph schema and run npm run compose`);
  }
  return sdl;
}

/**
 * Serves a supergraph file and swaps it in when it changes, through @apollo/gateway's
 * `supergraphSdl` hook. The directory is watched rather than the file, because editors and
 * `git checkout` replace files (a watch on the old inode would go silent).
 */
export function supergraphFile(options: SupergraphFileOptions): SupergraphSdlHook {
  return async ({ update }) => {
    let current = await readSupergraph(options.path);
    let timer: NodeJS.Timeout | undefined;
    const name = basename(options.path);
    const reload = async () => {
      try {
        const next = await readSupergraph(options.path);
        if (next === current) return;
        // `update` validates and plans against the new schema; it throws when the file is bad.
        update(next);
        current = next;
      } catch (error) {
        options.onError?.(error);
      }
    };
    const watcher: FSWatcher = watch(dirname(options.path), (_event, file) => {
      if (file !== null && file !== name) return;
      clearTimeout(timer);
      timer = setTimeout(reload, options.debounceMs ?? 100);
    });
    watcher.on("error", (error) => options.onError?.(error));
    return {
      supergraphSdl: current,
      cleanup: async () => {
        clearTimeout(timer);
        watcher.close();
      },
    };
  };
}

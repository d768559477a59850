import type { Logger } from "pino";

/** Something that must be closed at shutdown. */
export interface Resource {
  name: string;
  dispose(): Promise<void> | void;
}

export interface Lifecycle {
  /** Registers a resource; resources close in the reverse order of registration. */
  add<T extends Resource>(resource: T): T;
  /** Closes everything once (later calls wait for the first). Errors are logged, not thrown. */
  shutdown(): Promise<void>;
  /** Runs `shutdown` on SIGTERM/SIGINT, then exits (0, or 1 if a resource failed or it took too long). */
  handleSignals(options?: { timeoutMs?: number }): void;
}

/**
 * Owns a service's resources so `main.ts` stays wiring: open the database, then Redis, then the
 * server; they close server first, database last.
 */
export function createLifecycle(logger?: Logger): Lifecycle {
  const resources: Resource[] = [];
  let closing: Promise<boolean> | undefined;

  async function closeAll(): Promise<boolean> {
    let ok = true;
    for (const resource of [...resources].reverse()) {
      try {
        await resource.dispose();
        logger?.debug({ resource: resource.name }, "closed");
      } catch (error) {
        ok = false;
        logger?.error({ resource: resource.name, err: error }, "failed to close");
      }
    }
    return ok;
  }

  return {
    add(resource) {
      resources.push(resource);
      return resource;
    },
    async shutdown() {
      closing ??= closeAll();
      await closing;
    },
    handleSignals(options = {}) {
      const onSignal = (signal: NodeJS.Signals) => {
        logger?.info({ signal }, "shutting down");
        const timer = setTimeout(() => {
          logger?.error("shutdown took too long; exiting");
          process.exit(1);
        }, options.timeoutMs ?? 15_000);
        timer.unref();
        closing ??= closeAll();
        void closing.then((ok) => process.exit(ok ? 0 : 1));
      };
      process.once("SIGTERM", onSignal);
      process.once("SIGINT", onSignal);
    },
  };
}

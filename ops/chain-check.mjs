// What `npm start` needs from issue 24, kept out of ops/start.mjs (its owner wires these two calls):
// `--reset` wipes chain, databases and Redis keys first; after the services start, a service that
// follows another chain than its read models stops the start with its own message and the fix.
import { resetLocal } from "./reset.mjs";

/** With `--reset` among `argv`, resets the local state (ops/reset.mjs) before anything starts. */
export async function resetIfAsked(argv, say) {
  if (!argv.includes("--reset")) return false;
  say("--reset: wiping the local chain, the service databases and the project's Redis keys …");
  await resetLocal(say);
  return true;
}

/**
 * Asks each chain-following service's `/ready` until it answers 200; when one reports a chain
 * mismatch, throws its message (which names both chains and the command to run), so start stops
 * instead of carrying on with read models of another chain.
 */
export async function ensureSameChain(say, env = process.env, timeoutMs = 20_000) {
  const services = [
    { name: "ledger", port: Number(env.LEDGER_PORT ?? 4001) },
    { name: "voting", port: Number(env.VOTING_PORT ?? 4002) },
  ];
  for (const service of services) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let body;
      let status = 0;
      try {
        const res = await fetch(`http://127.0.0.1:${service.port}/ready`, { signal: AbortSignal.timeout(2_000) });
        status = res.status;
        body = await res.json();
      } catch {
        body = undefined;
      }
      if (status === 200) break;
      const chain = body?.checks?.chain;
      if (chain && chain !== "ok") throw new Error(`${service.name} refuses this chain: ${chain}`);
      if (Date.now() > deadline) throw new Error(`${service.name} is not ready after ${timeoutMs / 1000}s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  say("every read model follows this chain");
}

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createSign, generateKeyPairSync, type KeyObject, randomUUID } from "node:crypto";
import { createWriteStream, existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, from this file's location. */
export const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

const { startNodeFlags } = (await import(join(repoRoot, "ops/node-flags.mjs"))) as {
  startNodeFlags(dir: string): string[];
};

/** One component of the stack running as its own process (as `npm start` runs it), logging to a file. */
export interface Process {
  name: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `node --import tsx src/main.ts` in `dir`, with the node flags of the package's start script
 * (the devpeer's and signer's young generation, decision 0160) and `env` added; output goes to
 * `<logDir>/<name>.log`.
 */
export function startProcess(name: string, dir: string, env: Record<string, string>, logDir: string): Process {
  const log = createWriteStream(join(logDir, `${name}.log`));
  const child = spawn(process.execPath, [...startNodeFlags(join(repoRoot, dir)), "--import", "tsx", "src/main.ts"], {
    cwd: join(repoRoot, dir),
    env: { ...process.env, NODE_ENV: "test", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return {
    name,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolves once something accepts connections on the port; fails when the process exits or time runs out. */
export async function waitForPort(port: number, owner: Process, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (owner.child.exitCode !== null) throw new Error(`${owner.name} exited with code ${owner.child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: "127.0.0.1", port });
      socket.setTimeout(500, () => {
        socket.destroy();
        resolve(false);
      });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${owner.name} did not listen on ${port} within ${timeoutMs / 1000}s`);
}

export async function waitForFile(path: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} did not appear within ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Stands in for the ledger's token issuer: an ES256 key published as a JWKS document, and access
 * tokens with the claims the gateway checks (iss/aud "clearbook", sub, roles, exp).
 */
export interface TokenIssuer {
  jwksUrl: string;
  /** An access token for `userId` with platform `roles` (`["ADMIN"]` for an admin). */
  token(userId: string, roles?: readonly string[]): string;
  dispose(): Promise<void>;
}

/** Serves the key set on `port` (0 picks a free one). */
export async function startTokenIssuer(port: number): Promise<TokenIssuer> {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const kid = randomUUID();
  const jwks = JSON.stringify({ keys: [{ ...publicKey.export({ format: "jwk" }), kid, alg: "ES256", use: "sig" }] });
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(jwks);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    jwksUrl: `http://127.0.0.1:${bound}/.well-known/jwks.json`,
    token: (userId, roles = []) => signJwt(privateKey, kid, userId, roles),
    dispose: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function signJwt(key: KeyObject, kid: string, sub: string, roles: readonly string[]): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${encode({ alg: "ES256", typ: "JWT", kid })}.${encode({ iss: "clearbook", aud: "clearbook", sub, roles, iat: now, exp: now + 900 })}`;
  const signature = createSign("SHA256").update(input).sign({ key, dsaEncoding: "ieee-p1363" });
  return `${input}.${signature.toString("base64url")}`;
}

/** The q-th quantile (0…1) of sorted numbers. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** CPU seconds (user + system) a process has used so far, from /proc; NaN where /proc is missing. */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start at ")": utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** The pid of a running program by exact name (`mariadbd`, `redis-server`), if there is one. */
export function pidOf(name: string): number | undefined {
  const result = spawnSync("pgrep", ["-x", name], { encoding: "utf8" });
  const pid = Number(result.stdout.split("\n")[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 50 ms until it returns a value; fails after `timeoutMs` naming `what`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await sleep(50);
  }
}

import { type ChildProcess, execFile, spawn } from "node:child_process";
import { openSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { createConnection, createServer } from "node:net";
import { setTimeout as delay } from "node:timers/promises";

/** A started process of the network: its name, pid and log file. */
export interface NodeProcess {
  name: string;
  pid: number;
  log: string;
  child?: ChildProcess;
}

/**
 * Starts `command` with its output appended to `log`. `detached` processes outlive this one (for
 * `fabric:up`) and are stopped by pid from the pid file.
 */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; log: string; detached: boolean },
): NodeProcess {
  const fd = openSync(options.log, "a");
  const child = spawn(command, args, {
    env: options.env,
    cwd: options.cwd,
    detached: options.detached,
    stdio: ["ignore", fd, fd],
  });
  if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
  if (options.detached) child.unref();
  return { name, pid: child.pid, log: options.log, child };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Stops a process and what it started (its process group when it leads one): SIGTERM, then SIGKILL
 * after `graceMs`. Resolves once it is gone.
 */
export async function stopProcess(pid: number, graceMs = 5_000): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, sig);
      } catch {
        // not a group leader, or gone already
      }
    }
  };
  signal("SIGTERM");
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await delay(50);
  if (alive(pid)) signal("SIGKILL");
  while (alive(pid)) await delay(20);
}

/** The pid file of a network directory: which processes `fabric:down` stops. */
export async function writePids(path: string, processes: NodeProcess[]): Promise<void> {
  await writeFile(
    path,
    `${JSON.stringify(
      processes.map(({ name, pid, log }) => ({ name, pid, log })),
      null,
      2,
    )}\n`,
  );
}

export async function readPids(path: string): Promise<{ name: string; pid: number }[]> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as { name: string; pid: number }[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** `count` distinct free TCP ports on 127.0.0.1 (held together while chosen, so none repeats). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once("error", reject);
          server.listen(0, "127.0.0.1", () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/** Resolves once something accepts TCP connections on 127.0.0.1:`port`. */
export async function waitForPort(port: number, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: "127.0.0.1", port });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`${what} did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await delay(100);
  }
}

/**
 * Runs a Fabric CLI command to completion.
 * @returns its standard output and error together.
 * @throws Error with that output when it exits non-zero.
 */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      if (error) reject(new Error(`${command.split("/").pop()} ${args.join(" ")} failed:\n${output}`));
      else resolve(output);
    });
  });
}

/** Runs `attempt` until it resolves or `timeoutMs` passes (then rethrows its last error). */
export async function retrying<T>(timeoutMs: number, attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await delay(250);
    }
  }
}

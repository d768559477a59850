// A devpeer running the fixture contract, as a separate process for the throughput benchmark.
import { ALL_RUNTIME_PATCHES, createDevpeer, setChaincodeLogLevel } from "../src/index.js";
import { contracts } from "../test/fixtures/counter.contract.js";

const [dir, port, batchTimeoutMs] = process.argv.slice(2);
if (!dir || !port) throw new Error("usage: bench-server.ts <dir> <port> [batchTimeoutMs]");
setChaincodeLogLevel("CRITICAL");
const devpeer = await createDevpeer({
  dir,
  port: Number(port),
  contracts,
  runtimePatches: ALL_RUNTIME_PATCHES,
  batchTimeoutMs: batchTimeoutMs ? Number(batchTimeoutMs) : undefined,
});
process.stdout.write(`ready ${devpeer.address}\n`);
// The benchmark asks for this process's CPU time between phases: CPU per transaction does not depend
// on how busy the rest of the machine is, wall-clock throughput does.
process.on("SIGUSR2", () => {
  const { user, system } = process.cpuUsage();
  process.stdout.write(`cpu ${user + system}\n`);
});
process.once("SIGTERM", () => {
  devpeer.dispose().then(() => {
    process.stdout.write(`height ${devpeer.height()}\n`);
    process.exit(0);
  });
});

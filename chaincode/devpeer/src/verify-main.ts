import { join } from "node:path";
import { loadConfig } from "@clearbook/kit";
import { devpeerEnvSchema } from "./config.js";
import { verifyChainFiles } from "./verify.js";

// `npm run verify -w @clearbook/devpeer`: checks the stored chain without starting a peer.
const env = loadConfig(devpeerEnvSchema);
const dir = join(env.CLEARBOOK_DATA_DIR, "devpeer");
const result = await verifyChainFiles(dir);
if (result.ok) {
  process.stdout.write(`chain in ${dir} verifies: ${result.height} blocks\n`);
} else {
  process.stderr.write(
    `chain in ${dir} is broken at block ${result.firstBadBlock} of ${result.height}: ${result.reason}\n`,
  );
  process.exitCode = 1;
}

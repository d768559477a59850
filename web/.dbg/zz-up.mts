import { writeFileSync } from "node:fs";
import { startStack } from "../test/stack.ts";

const s = await startStack();
writeFileSync("/tmp/webdbg/url", s.url);
process.on("SIGTERM", async () => {
  await s.stop();
  process.exit(0);
});
setInterval(() => {}, 1 << 30);

import { createChainClient } from "@clearbook/client";
import { suite } from "uvu";
import { type ConformanceContext, newRunId, registerChecks, startDevpeerTarget } from "../src/index.js";

const test = suite<ConformanceContext>("conformance: devpeer");

test.before(async (context) => {
  context.target = await startDevpeerTarget();
  context.chain = createChainClient({ profile: context.target.profile, reader: context.target.admin });
  context.run = newRunId();
});

test.after(async ({ chain, target }) => {
  chain?.dispose();
  await target?.dispose();
});

registerChecks(test);
test.run();

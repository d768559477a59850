import { createChainClient } from "@clearbook/client";
import { ALL_RUNTIME_PATCHES, NO_RUNTIME_PATCHES } from "@clearbook/devpeer";
import { suite } from "uvu";
import { type ConformanceContext, newRunId, registerChecks, startDevpeerTarget } from "../src/index.js";

// With the devpeer's runtime patches, as `npm start` runs it; the package's `test` script runs this
// file once more with CONFORMANCE_DEVPEER_PATCHES=none, so a patch that changes an answer fails here.
const unpatched = process.env.CONFORMANCE_DEVPEER_PATCHES === "none";
const test = suite<ConformanceContext>(
  `conformance: devpeer (${unpatched ? "no runtime patches" : "runtime patches"})`,
);

test.before(async (context) => {
  context.target = await startDevpeerTarget(unpatched ? NO_RUNTIME_PATCHES : ALL_RUNTIME_PATCHES);
  context.chain = createChainClient({ profile: context.target.profile, reader: context.target.admin });
  context.run = newRunId();
});

test.after(async ({ chain, target }) => {
  chain?.dispose();
  await target?.dispose();
});

registerChecks(test);
test.run();

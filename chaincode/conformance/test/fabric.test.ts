import { createChainClient } from "@clearbook/client";
import { suite } from "uvu";
import {
  type ConformanceContext,
  fabricAvailability,
  newRunId,
  registerChecks,
  startFabricTarget,
} from "../src/index.js";

const test = suite<ConformanceContext>("conformance: real Fabric 2.5");
const availability = fabricAvailability();

if ("missing" in availability) {
  const why = availability.missing.join("\n!!   ");
  if (process.env.CI) {
    throw new Error(`CI must run the conformance suite against real Fabric, but:\n${why}`);
  }
  process.stderr.write(
    `\n${"!".repeat(100)}\n!! SKIPPING the conformance suite against REAL FABRIC: its binaries were not found.\n!!   ${why}\n` +
      `!! Set FABRIC_BIN_DIR=<release>/bin and FABRIC_CFG_PATH=<release>/config (Fabric 2.5's release) to run it.\n${"!".repeat(100)}\n\n`,
  );
  // Registered as skipped, so the summary counts them.
  registerChecks(
    Object.assign(test.skip, {
      only: test.only,
      before: test.before,
      after: test.after,
      skip: test.skip,
      run: test.run,
    }) as never,
  );
  test.run();
} else {
  test.before(async (context) => {
    // uvu reports nothing when a `before` hook throws: every check then fails on the missing target instead.
    try {
      context.target = await startFabricTarget();
      context.chain = createChainClient({ profile: context.target.profile, reader: context.target.admin });
      context.run = newRunId();
    } catch (error) {
      console.error("the target did not start:", error);
    }
  });

  test.after(async ({ chain, target }) => {
    chain?.dispose();
    await target?.dispose();
  });

  registerChecks(test);
  test.run();
}

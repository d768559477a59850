// A real `npm start` (the whole stack, on ports of its own), stopped the ways process supervisors,
// CI runners and terminals stop it: nothing it started may be left running or listening.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { isolatedStack, startStack, stopAndCheck } from "../stack-harness.mjs";

const Signals = suite("npm start: stopping");

let stack;
Signals.before(async () => {
  // The workspace is built before this package's tests run (turbo: test dependsOn build, and
  // @clearbook/ops depends on every package it starts), so the stack starts without building.
  stack = await isolatedStack({ name: "signals" });
});
Signals.after(async () => {
  await stack?.cleanUp();
});

for (const signal of ["SIGTERM", "SIGINT", "SIGHUP", "SIGKILL-orchestrator"]) {
  Signals(`${signal}: every process it started is gone and no port answers`, async () => {
    const run = startStack(stack, { args: ["--no-build"] });
    try {
      await run.up(180_000);
    } catch (error) {
      run.child.kill("SIGKILL");
      assert.unreachable(`${error.message}\n${run.tail()}`);
    }
    const problems = await stopAndCheck(stack, run, signal);
    assert.equal(problems, [], `${problems.join("\n")}\n${run.tail(30)}`);
  });
}

Signals.run();

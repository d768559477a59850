#!/usr/bin/env node
// `npm run smoke`: the newcomer's path, checked end to end on a real `npm start`.
//
// Starts the stack as the README says (building whatever is not built yet, the web app included), on
// the README's ports,
// but with its own data folder, `clearbook_test_*` databases and Redis key prefix so it leaves
// nothing behind; waits for /health and /ready; reads the demo books anonymously; logs in as a demo
// member and votes, and follows the vote until the chain committed it; then sends SIGTERM to npm
// and checks that nothing it started is left running or listening. .ci/run runs it on its fresh
// clone before anything else builds, so a start command that fails for newcomers fails CI.
import { isolatedStack, newcomerVisit, startStack, statusOf, stopAndCheck } from "./stack-harness.mjs";

const say = (line) => process.stdout.write(`[smoke] ${line}\n`);
const t0 = Date.now();
const seconds = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

const stack = await isolatedStack({ name: "smoke", defaultPorts: true });
const gateway = `http://127.0.0.1:${stack.ports.gateway}`;
let failure = null;
let run = null;
try {
  say(`npm start (data in ${stack.dataDir}; its output follows) …`);
  run = startStack(stack, { echo: process.env.SMOKE_QUIET !== "1" });
  // A fresh clone builds the whole workspace first: allow for it.
  await run.up(15 * 60_000);
  say(`up after ${seconds()}`);
  const health = await statusOf(`${gateway}/health`);
  const ready = await statusOf(`${gateway}/ready`);
  if (health !== 200 || ready !== 200) throw new Error(`/health answered ${health}, /ready answered ${ready}`);
  say("/health 200, /ready 200");
  const app = await statusOf(`${gateway}/`);
  if (app !== 200) throw new Error(`the web app at / answered ${app}`);
  say("web app: / 200");
  await newcomerVisit(stack.graphqlUrl, say);
} catch (error) {
  failure = error instanceof Error ? error.message : String(error);
}
if (run) {
  const problems = await stopAndCheck(stack, run, "SIGTERM");
  if (problems.length) failure = [failure, ...problems].filter(Boolean).join("\n  ");
  else say("SIGTERM: npm start exited and left nothing running or listening");
  if (failure && process.env.SMOKE_QUIET === "1") process.stdout.write(`${run.tail(80)}\n`);
}
await stack.cleanUp().catch((error) => say(`clean-up: ${error instanceof Error ? error.message : String(error)}`));
if (failure) {
  say(`FAILED after ${seconds()}: ${failure}`);
  process.exit(1);
}
say(`passed in ${seconds()}`);

import { test } from "uvu";
import * as assert from "uvu/assert";
import { ManualClock } from "../src/index.js";

test("a manual clock moves only when told", () => {
  const clock = new ManualClock(1000);
  assert.is(clock.now(), 1000);
  clock.advance(500);
  assert.is(clock.now(), 1500);
});

test.run();

import { suite } from "uvu";
import * as assert from "uvu/assert";
import { TxSimulator } from "../src/simulator.js";
import { compareKeys, WorldState } from "../src/world-state.js";

const test = suite("world state and simulator");

const bytes = (text: string) => Buffer.from(text);

test("orders keys by code point, as LevelDB orders their UTF-8 bytes", () => {
  const keys = ["b", "\u{10ffff}", "\u{e000}", "a\u0000z", "a", "\u{1f600}", "\uffff", "a\u0000"];
  const expected = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  assert.equal([...keys].sort(compareKeys), expected);
});

test("range scans honour the partial composite key bounds", () => {
  const state = new WorldState();
  const key = (...parts: string[]) => `\u0000${parts.join("\u0000")}\u0000`;
  state.apply(
    [key("vote", "b1", "u2"), key("vote", "b1", "u1"), key("vote", "b2", "u1"), key("vote", "b1", "\u{ffff}")].map(
      (k) => ({ key: k, value: bytes("x") }),
    ),
    { blockNum: 1, txNum: 0 },
  );
  const prefix = key("vote", "b1");
  const found = [...state.range(prefix, `${prefix}\u{10ffff}`)].map(([k]) => k.split("\u0000")[3]);
  assert.equal(found, ["u1", "u2", "\u{ffff}"]);
});

test("range scans see keys added, deleted and re-added across commits in key order", () => {
  const state = new WorldState();
  const live = new Set<string>();
  // A fixed pseudo-random sequence: the same run every time, with keys that sort in many places.
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed;
  };
  const keyOf = (n: number) => `k${String.fromCodePoint(0x61 + (n % 26), 0x41 + ((n >> 5) % 26))}${n % 97}`;
  for (let block = 0; block < 60; block++) {
    const writes = Array.from({ length: 1 + (next() % 12) }, () => {
      const key = keyOf(next());
      const remove = next() % 5 === 0;
      return { key, value: remove ? null : bytes(key) };
    });
    for (const write of writes) {
      state.apply([write], { blockNum: block, txNum: 0 });
      if (write.value === null) live.delete(write.key);
      else live.add(write.key);
    }
    if (block % 3 === 0) {
      const expected = [...live].sort(compareKeys);
      assert.equal(
        [...state.range("", "")].map(([k]) => k),
        expected,
      );
      const from = keyOf(next());
      const to = keyOf(next());
      const [start, end] = compareKeys(from, to) <= 0 ? [from, to] : [to, from];
      assert.equal(
        [...state.range(start, end)].map(([k]) => k),
        expected.filter((k) => compareKeys(k, start) >= 0 && compareKeys(k, end) < 0),
      );
    }
  }
  assert.is(state.size, live.size);
});

test("a transaction does not see its own writes, and records the first version it read", async () => {
  const state = new WorldState();
  state.apply([{ key: "k", value: bytes("old") }], { blockNum: 3, txNum: 1 });
  const simulator = new TxSimulator(state);
  await simulator.handlePutState("", "k", bytes("new"));
  assert.is((await simulator.handleGetState("", "k")).toString(), "old");
  state.apply([{ key: "k", value: bytes("newer") }], { blockNum: 4, txNum: 0 });
  await simulator.handleGetState("", "k");
  const result = simulator.result("cc");
  assert.equal(result.reads, [{ key: "k", version: { blockNum: 3, txNum: 1 } }]);
  assert.equal(result.writes, [{ key: "k", value: bytes("new") }]);
});

test("refuses what a LevelDB peer without private data refuses", async () => {
  const simulator = new TxSimulator(new WorldState());
  for (const call of [
    () => simulator.handleGetQueryResult(),
    () => simulator.handleGetState("collection", "k"),
    () => simulator.handleInvokeChaincode(),
  ]) {
    try {
      await call();
      assert.unreachable();
    } catch (error) {
      assert.match((error as Error).message, "not supported by devpeer");
    }
  }
});

test.run();

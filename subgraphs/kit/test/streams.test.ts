import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parseAutoClaimReply, parseDeliveryCounts, parseReadReply, StreamKind, streamKey } from "../src/streams.js";

const Streams = suite("stream replies");

Streams("names streams from the one table", () => {
  assert.is(streamKey(StreamKind.command, "voting"), "cmd:voting");
  assert.is(streamKey(StreamKind.event, "ledger"), "evt:ledger");
  assert.is(streamKey(StreamKind.deadLetter, "wallet", "test:kit:"), "test:kit:dlq:wallet");
});

const reads: Array<[string, unknown, Array<{ id: string; fields: Record<string, string> | null }>]> = [
  ["an empty blocking read", null, []],
  [
    "the array form",
    [["cmd:x", [["1-0", ["id", "c1", "type", "T"]]]]],
    [{ id: "1-0", fields: { id: "c1", type: "T" } }],
  ],
  ["the map form", { "cmd:x": [["2-0", ["a", "b"]]] }, [{ id: "2-0", fields: { a: "b" } }]],
  ["a deleted entry", [["cmd:x", [["3-0", null]]]], [{ id: "3-0", fields: null }]],
  ["buffer values", [["cmd:x", [["4-0", ["k", Buffer.from("v")]]]]], [{ id: "4-0", fields: { k: "v" } }]],
];
for (const [name, reply, expected] of reads) {
  Streams(`parses ${name}`, () => {
    assert.equal(parseReadReply(reply), expected);
  });
}

Streams("refuses a reply of the wrong shape", () => {
  assert.throws(() => parseReadReply("OK"));
  assert.throws(() => parseReadReply([["cmd:x", "nope"]]));
});

Streams("parses XAUTOCLAIM with deleted ids and XPENDING delivery counts", () => {
  const claimed = parseAutoClaimReply([
    "0-0",
    [
      ["5-0", ["id", "c5"]],
      ["6-0", null],
    ],
    ["7-0"],
  ]);
  assert.equal(claimed, {
    next: "0-0",
    entries: [
      { id: "5-0", fields: { id: "c5" } },
      { id: "6-0", fields: null },
    ],
    deleted: ["7-0"],
  });
  const counts = parseDeliveryCounts([
    ["5-0", "c1", 1200, 3],
    ["6-0", "c1", 10, 1],
  ]);
  assert.is(counts.get("5-0"), 3);
  assert.is(counts.get("6-0"), 1);
});

Streams.run();

import { Writable } from "node:stream";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createLogger, requestLogger } from "../src/logger.js";

const Logger = suite("logger");

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, destination };
}

Logger("stamps child lines with the request id", () => {
  const { lines, destination } = capture();
  const root = createLogger({ name: "kit-test", destination });
  requestLogger(root, "req-42", { operation: "Ballot" }).info("handled");
  assert.is(lines[0]?.rid, "req-42");
  assert.is(lines[0]?.operation, "Ballot");
  assert.is(lines[0]?.service, "kit-test");
});

Logger("redacts authorization headers, passwords, tokens and keys", () => {
  const { lines, destination } = capture();
  const root = createLogger({ name: "kit-test", destination });
  root.info(
    {
      req: { headers: { authorization: "Bearer abc", "x-clearbook-viewer": "payload.sig", accept: "json" } },
      password: "hunter2",
      config: { CLEARBOOK_INTERNAL_SECRET: "s3cret", apiKey: "k", token: "t", privateKey: "pk" },
    },
    "secrets everywhere",
  );
  const text = JSON.stringify(lines[0]);
  for (const secret of ["Bearer abc", "payload.sig", "hunter2", "s3cret", '"k"', '"t"', '"pk"']) {
    assert.not.ok(text.includes(secret), `leaked ${secret}`);
  }
  assert.ok(text.includes('"accept":"json"'));
});

Logger.run();

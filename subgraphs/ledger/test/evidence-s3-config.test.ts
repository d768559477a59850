import { ConfigError, parseEnv } from "@clearbook/kit";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ledgerEnvSchema } from "../src/config.js";
import { appOptionsOf } from "../src/ledger-runtime.js";

const test = suite("evidence store configuration");

/** The config error's lines for `env`, or a failure when it parses. */
function problems(env: Record<string, string>): string[] {
  try {
    parseEnv(ledgerEnvSchema, { NODE_ENV: "test", ...env });
  } catch (error) {
    assert.instance(error, ConfigError);
    return (error as ConfigError).message
      .split("\n")
      .slice(1)
      .map((line) => line.trim());
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

test("keeps evidence on local disk by default", () => {
  const config = parseEnv(ledgerEnvSchema, { NODE_ENV: "test" });
  assert.is(config.LEDGER_EVIDENCE_STORE, "local");
  assert.is(appOptionsOf(config).evidenceS3, undefined);
});

test("chooses S3 with a bucket and a region, an optional endpoint and path-style addressing", () => {
  const config = parseEnv(ledgerEnvSchema, {
    NODE_ENV: "test",
    LEDGER_EVIDENCE_STORE: "s3",
    LEDGER_S3_BUCKET: "council-evidence",
    LEDGER_S3_REGION: "eu-central-1",
    LEDGER_S3_ENDPOINT: "http://127.0.0.1:9000",
    LEDGER_S3_FORCE_PATH_STYLE: "true",
  });
  assert.equal(appOptionsOf(config).evidenceS3, {
    bucket: "council-evidence",
    region: "eu-central-1",
    endpoint: "http://127.0.0.1:9000",
    forcePathStyle: true,
  });
  const aws = parseEnv(ledgerEnvSchema, {
    NODE_ENV: "test",
    LEDGER_EVIDENCE_STORE: "s3",
    LEDGER_S3_BUCKET: "council-evidence",
    LEDGER_S3_REGION: "eu-central-1",
  });
  assert.equal(appOptionsOf(aws).evidenceS3, {
    bucket: "council-evidence",
    region: "eu-central-1",
    forcePathStyle: false,
  });
});

test("names each missing or bad evidence variable in one readable line", () => {
  assert.equal(problems({ LEDGER_EVIDENCE_STORE: "s3" }), [
    "LEDGER_S3_BUCKET: is required when LEDGER_EVIDENCE_STORE=s3",
    "LEDGER_S3_REGION: is required when LEDGER_EVIDENCE_STORE=s3",
  ]);
  const cases: [Record<string, string>, string][] = [
    [{ LEDGER_EVIDENCE_STORE: "gcs" }, 'LEDGER_EVIDENCE_STORE: must be local or s3 (got "gcs")'],
    [{ LEDGER_S3_BUCKET: "My_Bucket" }, "LEDGER_S3_BUCKET: must be an S3 bucket name"],
    [{ LEDGER_S3_REGION: "EU West" }, "LEDGER_S3_REGION: must be a region name such as eu-west-1"],
    [{ LEDGER_S3_ENDPOINT: "ftp://files.example.org" }, "LEDGER_S3_ENDPOINT: must be an http(s) URL"],
    [{ LEDGER_S3_FORCE_PATH_STYLE: "yes" }, 'LEDGER_S3_FORCE_PATH_STYLE: must be true or false (got "yes")'],
    [{ LEDGER_EVIDENCE_URL_TTL_SECONDS: "864000" }, "LEDGER_EVIDENCE_URL_TTL_SECONDS: must be at most 604800 (7 days)"],
  ];
  for (const [env, line] of cases) {
    const found = problems(env);
    assert.is(found.length, 1, found.join("; "));
    assert.ok(found[0]?.startsWith(line), `${found[0]} should start with ${line}`);
  }
});

test.run();

import { suite } from "uvu";
import * as assert from "uvu/assert";
import { signViewer, ViewerHeaderError, verifyViewer } from "../src/index.js";

const secret = "test-secret";
const viewer = { sub: "u1", roles: ["ADMIN" as const], partner: null, rid: "r1" };
const Viewer = suite("viewer header");

Viewer("a signed viewer verifies and round-trips", () => {
  const v = verifyViewer(signViewer(viewer, secret), secret);
  assert.is(v.sub, "u1");
  assert.equal(v.roles, ["ADMIN"]);
});

const refusals: Array<[string, () => string | undefined]> = [
  ["missing", () => undefined],
  ["unsigned", () => Buffer.from(JSON.stringify({ v: 1, ...viewer, iat: 0, exp: 9e9 })).toString("base64url")],
  ["signed with another secret", () => signViewer(viewer, "other")],
  [
    "tampered payload",
    () => {
      const [, sig] = signViewer(viewer, secret).split(".");
      const forged = Buffer.from(JSON.stringify({ v: 1, ...viewer, sub: "admin", iat: 0, exp: 9e9 })).toString(
        "base64url",
      );
      return `${forged}.${sig}`;
    },
  ],
  ["expired", () => signViewer(viewer, secret, { nowMs: Date.now() - 3_600_000 })],
];
for (const [name, make] of refusals) {
  Viewer(`refuses a ${name} header`, () => {
    assert.throws(
      () => verifyViewer(make(), secret),
      (e: unknown) => e instanceof ViewerHeaderError,
    );
  });
}

Viewer.run();

import { ErrorCode } from "@clearbook/kit";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ERROR_CODES } from "../src/error-codes.js";
import { en } from "../src/messages.en.js";
import { ko } from "../src/messages.ko.js";
import { parseMoney } from "../src/money.js";

const test = suite("languages, error messages and money input");

test("every error code of the API has a message in Korean and English", () => {
  for (const code of Object.values(ErrorCode)) {
    assert.ok(ERROR_CODES.includes(code), `${code} is not handled by the app`);
    const key = `error.${code}` as keyof typeof en;
    assert.ok(en[key], `no English message for ${code}`);
    assert.ok(ko[key], `no Korean message for ${code}`);
    assert.is.not(en[key], ko[key], `${code}: the Korean message is the English one`);
  }
  assert.equal(Object.keys(ko).sort(), Object.keys(en).sort());
});

test("amounts typed by people become integer minor units without floats", () => {
  const cases: [string, string | null][] = [
    ["1234", "123400"],
    ["1,234.5", "123450"],
    ["0.07", "7"],
    ["90071992547409.93", "9007199254740993"],
    ["0", null],
    ["-5", null],
    ["1.234", null],
    ["abc", null],
  ];
  for (const [input, expected] of cases) assert.is(parseMoney(input), expected, input);
});

test.run();

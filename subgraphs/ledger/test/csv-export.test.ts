import { suite } from "uvu";
import * as assert from "uvu/assert";
import { csvField } from "../src/entries/csv-export.js";

const test = suite("CSV export fields");

test("neutralises values a spreadsheet would run as formulas", () => {
  for (const [value, expected] of [
    ['=HYPERLINK("http://evil")', '"\'=HYPERLINK(""http://evil"")"'],
    ["+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1:A2)", "'@SUM(A1:A2)"],
    ["\tTabbed", "'\tTabbed"],
  ] as const) {
    assert.is(csvField(value), expected, value);
  }
});

test("leaves plain values, negative integers and RFC 4180 quoting as they were", () => {
  assert.is(csvField("Bake sale"), "Bake sale");
  assert.is(csvField("-4200"), "-4200");
  assert.is(csvField('Quiz "night", pub'), '"Quiz ""night"", pub"');
});

test.run();

import { EntryLimits, entryFieldsProblem } from "@clearbook/contracts/api";
import { AppError, ErrorCode } from "@clearbook/kit";
import fc from "fast-check";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { checkEntryFields } from "../src/entries/entry-rules.js";

const rules = suite("entry pre-check is the chaincode's rule");

/** The field the pre-check refuses (BAD_USER_INPUT), or null when it accepts. */
function refusedField(input: { eventName: string; year: number; semester: number }): string | null {
  try {
    checkEntryFields(input);
    return null;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    assert.is(error.code, ErrorCode.BAD_USER_INPUT);
    return String(error.details.field);
  }
}

rules("refuses exactly what the chaincode refuses, naming the same field", () => {
  const around = (min: number, max: number) =>
    fc.oneof(fc.integer({ min: min - 2, max: min + 2 }), fc.integer({ min: max - 2, max: max + 2 }), fc.integer());
  const name = fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.constantFrom(" ", "a\u0000b", "line\nbreak", "x".repeat(200), ` ${"x".repeat(200)} `, "x".repeat(201)),
  );
  fc.assert(
    fc.property(
      name,
      around(EntryLimits.yearMin, EntryLimits.yearMax),
      around(EntryLimits.semesterMin, EntryLimits.semesterMax),
      (eventName, year, semester) => {
        const input = { eventName, year, semester };
        assert.is(refusedField(input), entryFieldsProblem(input)?.field ?? null);
      },
    ),
    { numRuns: 500 },
  );
});

rules("refuses an event name with a control character up front, as the chain would", () => {
  assert.is(refusedField({ eventName: "Bake\u0007sale", year: 2026, semester: 1 }), "eventName");
  assert.is(checkEntryFields({ eventName: "  Bake sale ", year: 2026, semester: 1 }), "Bake sale");
});

rules.run();

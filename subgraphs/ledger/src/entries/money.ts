import { errors } from "@clearbook/kit";

const MAX = 2n ** 63n - 1n;

/**
 * Parses a Money input: a decimal string of a positive integer of minor units.
 * @throws BAD_USER_INPUT for a negative, zero, fractional, exponent or oversized amount.
 */
export function parseAmount(text: string, field = "amount"): bigint {
  if (!/^[0-9]{1,19}$/.test(text))
    throw errors.badInput('The amount must be a whole number of minor units, like "12500".', field);
  const value = BigInt(text);
  if (value <= 0n) throw errors.badInput("The amount must be greater than zero.", field);
  if (value > MAX) throw errors.badInput("The amount is too large.", field);
  return value;
}

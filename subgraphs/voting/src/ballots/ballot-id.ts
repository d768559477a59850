/** Ballot ids are UUIDs chosen by the ledger when it proposes the spending. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `value` can be a ballot id (anything else names no ballot, and never reaches SQL). */
export const isBallotId = (value: string): boolean => UUID.test(value);

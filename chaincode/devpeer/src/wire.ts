/**
 * A minimal protobuf wire writer for the few messages the devpeer builds on every transaction
 * (decision 0200). It writes what google-protobuf writes for proto3 messages: fields in the order the
 * caller adds them (callers add them in field-number order, as the generated code does), scalar fields
 * left out when they hold their default value (0, false, "", empty bytes), sub-messages written whenever
 * present (an empty one as a zero length), repeated fields one entry per element.
 */

import { peer } from "@hyperledger/fabric-protos";

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;

function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

function writeVarint(target: Buffer, offset: number, value: number): number {
  while (value >= 0x80) {
    target[offset++] = (value % 128) | 0x80;
    value = Math.floor(value / 128);
  }
  target[offset++] = value;
  return offset;
}

/** The 10-byte two's complement varint protobuf writes for a negative int32 or int64. */
function negativeVarint(value: number): Uint8Array {
  let rest = BigInt.asUintN(64, BigInt(value));
  const bytes = new Uint8Array(10);
  for (let i = 0; i < 10; i++) {
    const low = Number(rest & 0x7fn);
    rest >>= 7n;
    bytes[i] = rest > 0n ? low | 0x80 : low;
  }
  return bytes;
}

/**
 * Encodes a string as UTF-8 the way google-protobuf does. A well-formed string is plain UTF-8; one with a
 * lone surrogate (which google-protobuf encodes its own way, not as U+FFFD) goes through its encoder.
 */
function utf8(value: string): Uint8Array {
  if ((value as string & { isWellFormed(): boolean }).isWellFormed()) return Buffer.from(value, "utf8");
  const message = new peer.ChaincodeID();
  message.setPath(value);
  const encoded = message.serializeBinary();
  // Skip the key (one byte) and the length varint before the string's bytes.
  let offset = 1;
  while ((encoded[offset] as number) & 0x80) offset++;
  return encoded.subarray(offset + 1);
}

/**
 * Builds one message; `finish` returns its bytes. Unsigned/non-negative integers up to 2^53.
 * A sub-message (or a bytes field holding a serialized message) may be given as the ProtoWriter that
 * builds it: `finish` then writes the whole tree into one buffer, instead of allocating and copying
 * every level's bytes again (a prepared envelope is six levels deep). A writer given this way must be
 * complete when it is added.
 */
export class ProtoWriter {
  // Pairs of (key, payload): a varint payload is a number, a length-delimited one bytes or a nested writer.
  readonly #keys: number[] = [];
  readonly #values: (number | Uint8Array | ProtoWriter)[] = [];
  #size = 0;

  /** A bytes field (proto3: left out when empty). */
  bytes(field: number, value: Uint8Array | ProtoWriter | undefined): this {
    if (value && (value instanceof ProtoWriter ? value.#size : value.length) > 0) this.#delimited(field, value);
    return this;
  }

  /** A string field (proto3: left out when empty). */
  string(field: number, value: string | undefined): this {
    if (value) this.#delimited(field, utf8(value));
    return this;
  }

  /** A sub-message or a repeated bytes/string element: written even when empty. */
  message(field: number, value: Uint8Array | ProtoWriter): this {
    this.#delimited(field, value);
    return this;
  }

  /** An int32/int64/uint32/uint64/enum field (proto3: left out when 0). */
  uint(field: number, value: number): this {
    if (value !== 0) {
      const key = (field << 3) | WIRE_VARINT;
      if (value < 0) {
        this.#keys.push(key);
        this.#values.push(negativeVarint(value));
        this.#size += varintSize(key) + 10;
      } else {
        this.#keys.push(key);
        this.#values.push(value);
        this.#size += varintSize(key) + varintSize(value);
      }
    }
    return this;
  }

  /** A bool field (proto3: left out when false). */
  bool(field: number, value: boolean): this {
    return value ? this.uint(field, 1) : this;
  }

  #delimited(field: number, value: Uint8Array | ProtoWriter): void {
    const key = (field << 3) | WIRE_LENGTH_DELIMITED;
    const length = value instanceof ProtoWriter ? value.#size : value.length;
    this.#keys.push(key);
    this.#values.push(value);
    this.#size += varintSize(key) + varintSize(length) + length;
  }

  finish(): Buffer {
    const out = Buffer.allocUnsafe(this.#size);
    this.#writeInto(out, 0);
    return out;
  }

  #writeInto(out: Buffer, start: number): number {
    let offset = start;
    for (let i = 0; i < this.#keys.length; i++) {
      const key = this.#keys[i] as number;
      const value = this.#values[i] as number | Uint8Array | ProtoWriter;
      offset = writeVarint(out, offset, key);
      if (typeof value === "number") {
        offset = writeVarint(out, offset, value);
      } else if (value instanceof ProtoWriter) {
        offset = writeVarint(out, offset, value.#size);
        offset = value.#writeInto(out, offset);
      } else if ((key & 7) === WIRE_VARINT) {
        out.set(value, offset);
        offset += value.length;
      } else {
        offset = writeVarint(out, offset, value.length);
        out.set(value, offset);
        offset += value.length;
      }
    }
    return offset;
  }
}

/** What an unsigned proposal (as `prepareProposal` returns it) says about itself. */
export interface ProposalSummary {
  txId: string;
  channel: string;
  chaincode: string;
  /** The creator: MSP id and PEM certificate the signature must match. */
  mspId: string;
  certPem: string;
  /** The creator's certificate as the proposal carries it (a view into the proposal's bytes). */
  certBytes: Uint8Array;
  /** Transaction name (`<contract>:<Fn>`) then its arguments, as UTF-8. */
  args: string[];
  /** The channel header's timestamp (ms since the epoch), which the chaincode takes as its clock; absent if unset. */
  timestampMs: number | undefined;
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_DELIMITED = 2;
const WIRE_START_GROUP = 3;
const WIRE_END_GROUP = 4;
const WIRE_FIXED32 = 5;

/** A protobuf wire-format reader over one message's bytes; throws on anything truncated or malformed. */
class WireReader {
  at = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.at >= this.bytes.length;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.at >= this.bytes.length) throw new Error("truncated varint");
      const byte = this.bytes[this.at++] as number;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
    throw new Error("varint longer than 10 bytes");
  }

  delimited(): Uint8Array {
    const length = this.varint();
    const end = this.at + length;
    if (length > Number.MAX_SAFE_INTEGER || end > this.bytes.length)
      throw new Error("truncated length-delimited field");
    const value = this.bytes.subarray(this.at, end);
    this.at = end;
    return value;
  }

  skip(wireType: number, field: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        this.advance(8);
        return;
      case WIRE_DELIMITED:
        this.delimited();
        return;
      case WIRE_FIXED32:
        this.advance(4);
        return;
      case WIRE_START_GROUP:
        for (;;) {
          if (this.done) throw new Error("unterminated group");
          const tag = this.varint();
          if ((tag & 7) === WIRE_END_GROUP) {
            if (Math.floor(tag / 8) !== field) throw new Error("mismatched end group");
            return;
          }
          this.skip(tag & 7, Math.floor(tag / 8));
        }
      default:
        throw new Error(`unexpected wire type ${wireType}`);
    }
  }

  private advance(n: number): void {
    if (this.at + n > this.bytes.length) throw new Error("truncated fixed-width field");
    this.at += n;
  }
}

/**
 * Calls `onField` with every length-delimited field of `wanted` in `message`, in order (so for a
 * singular field the last call holds, as protobuf's "last one wins"), and skips every other field.
 * @throws Error when the message is malformed, or a wanted field is not length-delimited.
 */
function eachField(message: Uint8Array, wanted: number, onField: (field: number, value: Uint8Array) => void): void {
  const reader = new WireReader(message);
  while (!reader.done) {
    const tag = reader.varint();
    const field = Math.floor(tag / 8);
    const wireType = tag & 7;
    if (field === 0) throw new Error("field number 0");
    if (field < 31 && (wanted & (1 << field)) !== 0) {
      if (wireType !== WIRE_DELIMITED) throw new Error(`field ${field} is not length-delimited`);
      onField(field, reader.delimited());
    } else {
      reader.skip(wireType, field);
    }
  }
}

const EMPTY = new Uint8Array(0);

/** The last value of each of `fields` (field numbers 1 to 30) in `message`; empty when absent. */
function lastOf(message: Uint8Array, ...fields: number[]): Uint8Array[] {
  const values = fields.map((): Uint8Array => EMPTY);
  let wanted = 0;
  for (const field of fields) wanted |= 1 << field;
  eachField(message, wanted, (field, value) => {
    values[fields.indexOf(field)] = value;
  });
  return values;
}

const decoder = new TextDecoder();

/**
 * A `google.protobuf.Timestamp` {1: seconds, 2: nanos} (both varints) in ms; undefined for an empty one.
 * @throws Error when it is malformed.
 */
function timestampOf(message: Uint8Array): number | undefined {
  if (message.length === 0) return undefined;
  const reader = new WireReader(message);
  let seconds = 0;
  let nanos = 0;
  while (!reader.done) {
    const tag = reader.varint();
    const field = Math.floor(tag / 8);
    if (field === 1 && (tag & 7) === WIRE_VARINT) seconds = reader.varint();
    else if (field === 2 && (tag & 7) === WIRE_VARINT) nanos = reader.varint();
    else reader.skip(tag & 7, field);
  }
  return seconds * 1000 + Math.floor(nanos / 1e6);
}

/**
 * Reads a prepared proposal's header and invocation, so the signer can check that a command's
 * proposal is for the user, function and arguments the command names before signing it.
 *
 * Reads the wire format directly, without building the google-protobuf message objects: the
 * gateway client parses the same proposal again to endorse it, and only a dozen fields matter here
 * (docs/performance/0205). Field numbers are those of fabric-protos:
 * `gateway.ProposedTransaction` {2: proposal} → `peer.SignedProposal` {1: proposal_bytes} →
 * `peer.Proposal` {1: header, 2: payload}; `common.Header` {1: channel_header, 2: signature_header};
 * `common.ChannelHeader` {3: timestamp, 4: channel_id, 5: tx_id}; `google.protobuf.Timestamp` {1: seconds, 2: nanos}; `common.SignatureHeader` {1: creator};
 * `msp.SerializedIdentity` {1: mspid, 2: id_bytes}; `peer.ChaincodeProposalPayload` {1: input} →
 * `peer.ChaincodeInvocationSpec` {1: chaincode_spec} → `peer.ChaincodeSpec` {2: chaincode_id, 3: input};
 * `peer.ChaincodeID` {2: name}; `peer.ChaincodeInput` {1: args (repeated)}.
 * @throws Error when the bytes are not a gateway `ProposedTransaction`.
 */
export function inspectProposal(proposalBytes: Uint8Array): ProposalSummary {
  let signedProposal: Uint8Array | undefined;
  eachField(proposalBytes, 1 << 2, (_field, value) => {
    signedProposal = value;
  });
  if (!signedProposal) throw new Error("not a proposed transaction: no signed proposal");
  const [proposal] = lastOf(signedProposal, 1);
  const [header, payload] = lastOf(proposal ?? EMPTY, 1, 2);
  const [channelHeader, signatureHeader] = lastOf(header ?? EMPTY, 1, 2);
  const [timestamp, channel, txId] = lastOf(channelHeader ?? EMPTY, 3, 4, 5);
  const [creator] = lastOf(signatureHeader ?? EMPTY, 1);
  const [mspId, certBytes] = lastOf(creator ?? EMPTY, 1, 2);
  const [input] = lastOf(payload ?? EMPTY, 1);
  const [spec] = lastOf(input ?? EMPTY, 1);
  const [chaincodeId, chaincodeInput] = lastOf(spec ?? EMPTY, 2, 3);
  const [chaincode] = lastOf(chaincodeId ?? EMPTY, 2);
  const args: string[] = [];
  eachField(chaincodeInput ?? EMPTY, 1 << 1, (_field, arg) => {
    args.push(decoder.decode(arg));
  });
  return {
    txId: decoder.decode(txId),
    channel: decoder.decode(channel),
    chaincode: decoder.decode(chaincode),
    mspId: decoder.decode(mspId),
    certPem: decoder.decode(certBytes),
    certBytes: certBytes ?? EMPTY,
    args,
    timestampMs: timestampOf(timestamp ?? EMPTY),
  };
}

import type { Duplex } from "node:stream";

/**
 * A graphql-ws `next` message is `{"id":<id>,"type":"next","payload":<payload>}`: the payload is
 * the same for every subscriber of a group and only the id differs. The hub serializes the payload
 * once per group and event (`nextBody`), each subscriber keeps its id bytes (`nextPrefix`), and
 * `writeNextFrame` puts the WebSocket frame header, the prefix and the shared body on the socket
 * in one write — without going through `ws`'s per-message `send`, which frames, corks and writes twice.
 */

/** `{"id":"<id>","type":"next","payload":` — the only per-subscriber bytes of a `next` frame. */
export const nextPrefix = (id: string): Buffer => Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);

/** The shared tail of a `next` message: the serialized payload and the closing brace. */
export const nextBody = (payload: unknown): Buffer => Buffer.from(`${JSON.stringify(payload)}}`);

/** Above this, the body is written by reference (two writes under cork) instead of copied into the frame. */
const COPY_LIMIT = 16 * 1024;

/** Header of an unmasked, final text frame of `length` payload bytes (RFC 6455 §5.2). */
function writeHeader(target: Buffer, length: number): number {
  target[0] = 0x81; // FIN + opcode 1 (text)
  if (length < 126) {
    target[1] = length;
    return 2;
  }
  if (length < 65_536) {
    target[1] = 126;
    target.writeUInt16BE(length, 2);
    return 4;
  }
  target[1] = 127;
  target.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
  target.writeUInt32BE(length >>> 0, 6);
  return 10;
}

const headerLength = (length: number) => (length < 126 ? 2 : length < 65_536 ? 4 : 10);

/**
 * Writes one complete WebSocket text frame carrying `prefix` + `body` to the connection's socket.
 * The caller guarantees the WebSocket is open (no close frame sent) and nothing else is mid-frame:
 * `ws` (without permessage-deflate) writes each of its frames synchronously, so frames never interleave.
 */
export function writeNextFrame(socket: Duplex, prefix: Buffer, body: Buffer): void {
  const length = prefix.length + body.length;
  if (body.length > COPY_LIMIT) {
    const head = Buffer.allocUnsafe(headerLength(length) + prefix.length);
    prefix.copy(head, writeHeader(head, length));
    socket.cork();
    socket.write(head);
    socket.write(body);
    socket.uncork();
    return;
  }
  const frame = Buffer.allocUnsafe(headerLength(length) + length);
  const offset = writeHeader(frame, length);
  prefix.copy(frame, offset);
  body.copy(frame, offset + prefix.length);
  socket.write(frame);
}

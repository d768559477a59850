// One process of bench subscribers: graphql-transport-ws over plain TCP sockets with a minimal
// WebSocket client (RFC 6455 handshake, masked client frames, unfragmented server frames, pings
// answered). The clients share the machine's cores with the gateway, so each message costs one
// scan of its bytes: no WebSocket library stream machinery, no JSON parse.
// Driven by fanout.ts over IPC; see it for the protocol.
import { randomBytes, randomUUID } from "node:crypto";
import { connect, type Socket } from "node:net";

interface ConnectCommand {
  kind: "connect";
  url: string;
  count: number;
  query: string;
}
type Command = ConnectCommand | { kind: "count" } | { kind: "report" } | { kind: "exit" };

const sockets: Socket[] = [];
/** Event sequence number (the tally's `approve`) → receive times, ms since the epoch. */
let received = new Map<number, number[]>();
let messages = 0;
const APPROVE = Buffer.from('"approve":');
const Opcode = { Text: 0x1, Close: 0x8, Ping: 0x9, Pong: 0xa } as const;

/** The tally's `approve` in a next message, read from the bytes. */
function approveOf(data: Buffer, from: number, to: number): number | null {
  const at = data.indexOf(APPROVE, from);
  if (at < 0 || at >= to) return null;
  let value = 0;
  for (let i = at + APPROVE.length; i < to; i++) {
    const digit = (data[i] ?? 0) - 48;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  return value;
}

/** A client frame: FIN, `opcode`, masked with a random key (RFC 6455 §5.2–5.3); the bench sends only short messages. */
function clientFrame(opcode: number, payload: Buffer): Buffer {
  if (payload.length >= 65_536) throw new Error("bench client frames stay below 64 KiB");
  const maskAt = payload.length < 126 ? 2 : 4;
  const frame = Buffer.allocUnsafe(maskAt + 4 + payload.length);
  frame[0] = 0x80 | opcode;
  if (maskAt === 2) frame[1] = 0x80 | payload.length;
  else {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(payload.length, 2);
  }
  randomBytes(4).copy(frame, maskAt);
  for (let i = 0; i < payload.length; i++) {
    frame[maskAt + 4 + i] = (payload[i] ?? 0) ^ (frame[maskAt + (i % 4)] ?? 0);
  }
  return frame;
}

const send = (message: unknown) => process.send?.(message);

function open(url: string, query: string): Promise<void> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), noDelay: true });
    const timer = setTimeout(() => reject(new Error("subscribe timed out")), 30_000);
    socket.on("connect", () =>
      socket.write(
        `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\nSec-WebSocket-Version: 13\r\n` +
          "Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n",
      ),
    );
    let upgraded = false;
    let acknowledged = false;
    let rest: Buffer | null = null;
    const onText = (data: Buffer, from: number, to: number, now: number) => {
      if (!acknowledged) {
        acknowledged = true; // the first message is the connection_ack
        const subscribe = JSON.stringify({ id: randomUUID(), type: "subscribe", payload: { query } });
        socket.write(clientFrame(Opcode.Text, Buffer.from(subscribe)));
        clearTimeout(timer);
        resolve();
        return;
      }
      messages += 1;
      const seq = approveOf(data, from, to);
      if (seq === null) return;
      const times = received.get(seq);
      if (times) times.push(now);
      else received.set(seq, [now]);
    };
    socket.on("data", (chunk: Buffer) => {
      // Taken when the bytes reach the process, before this client's own parsing.
      const now = Date.now();
      const data = rest ? Buffer.concat([rest, chunk]) : chunk;
      rest = null;
      let at = 0;
      if (!upgraded) {
        const end = data.indexOf("\r\n\r\n");
        if (end < 0) {
          rest = data;
          return;
        }
        if (!data.toString("latin1", 0, end).startsWith("HTTP/1.1 101")) {
          reject(new Error(`upgrade refused: ${data.toString("latin1", 0, end)}`));
          socket.destroy();
          return;
        }
        upgraded = true;
        at = end + 4;
        socket.write(clientFrame(Opcode.Text, Buffer.from('{"type":"connection_init"}')));
      }
      while (data.length - at >= 2) {
        const opcode = (data[at] ?? 0) & 0x0f;
        let length = (data[at + 1] ?? 0) & 0x7f;
        let head = 2;
        if (length === 126) {
          if (data.length - at < 4) break;
          length = data.readUInt16BE(at + 2);
          head = 4;
        } else if (length === 127) {
          if (data.length - at < 10) break;
          length = Number(data.readBigUInt64BE(at + 2));
          head = 10;
        }
        if (data.length - at < head + length) break;
        const from = at + head;
        at = from + length;
        if (opcode === Opcode.Text) onText(data, from, at, now);
        else if (opcode === Opcode.Ping) socket.write(clientFrame(Opcode.Pong, data.subarray(from, at)));
        else if (opcode === Opcode.Close) socket.end();
      }
      if (at < data.length) rest = data.subarray(at);
    });
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    sockets.push(socket);
  });
}

process.on("message", async (command: Command) => {
  if (command.kind === "connect") {
    // Handshakes in waves, so the accept queue never overflows.
    for (let done = 0; done < command.count; done += 100) {
      const wave = Math.min(100, command.count - done);
      await Promise.all(Array.from({ length: wave }, () => open(command.url, command.query)));
    }
    send({ kind: "connected", count: command.count });
  } else if (command.kind === "count") {
    let count = 0;
    for (const times of received.values()) count += times.length;
    const cpu = process.cpuUsage();
    send({ kind: "count", count, messages, cpuUs: cpu.user + cpu.system });
  } else if (command.kind === "report") {
    send({ kind: "report", received: [...received.entries()] });
    received = new Map();
  } else {
    for (const socket of sockets) socket.destroy();
    process.exit(0);
  }
});
send({ kind: "ready" });

// One process of bench subscribers: raw graphql-transport-ws over `ws` (a real client's frames,
// without a client library's per-message overhead, so the bench measures the gateway).
// Driven by fanout.ts over IPC; see it for the protocol.
import WebSocket from "ws";

interface ConnectCommand {
  kind: "connect";
  url: string;
  count: number;
  query: string;
}
type Command = ConnectCommand | { kind: "count" } | { kind: "report" } | { kind: "exit" };

const sockets: WebSocket[] = [];
/** Event sequence number (the tally's `approve`) → receive times, ms since the epoch. */
let received = new Map<number, number[]>();
const APPROVE = Buffer.from('"approve":');

/** The tally's `approve` in a next frame, read from the bytes (the clients must stay cheap: they share the cores). */
function approveOf(data: Buffer): number | null {
  const at = data.indexOf(APPROVE);
  if (at < 0) return null;
  let value = 0;
  for (let i = at + APPROVE.length; i < data.length; i++) {
    const digit = (data[i] ?? 0) - 48;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  return value;
}

const send = (message: unknown) => process.send?.(message);

function open(url: string, query: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, "graphql-transport-ws", { perMessageDeflate: false, skipUTF8Validation: true });
    let acknowledged = false;
    const timer = setTimeout(() => reject(new Error("subscribe timed out")), 30_000);
    ws.on("open", () => ws.send('{"type":"connection_init"}'));
    ws.on("message", (data: Buffer) => {
      if (!acknowledged) {
        acknowledged = true; // the first message is the connection_ack
        ws.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query } }));
        clearTimeout(timer);
        resolve();
        return;
      }
      const now = Date.now();
      const seq = approveOf(data);
      if (seq === null) return;
      const times = received.get(seq);
      if (times) times.push(now);
      else received.set(seq, [now]);
    });
    ws.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    sockets.push(ws);
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
    send({ kind: "count", count });
  } else if (command.kind === "report") {
    send({ kind: "report", received: [...received.entries()] });
    received = new Map();
  } else {
    for (const ws of sockets) ws.terminate();
    process.exit(0);
  }
});
send({ kind: "ready" });

import type { IncomingMessage } from "node:http";

/**
 * The client's address. Without trusted proxies it is the socket's peer. Behind `trustedHops`
 * proxies, each of which appends the address it saw to `x-forwarded-for`, the client is the entry
 * `trustedHops` from the right: everything left of it was written by the client and proves nothing
 * (taking the leftmost entry let anyone rotate it past per-IP limits and the login throttle).
 * With fewer entries than hops, the leftmost one is the furthest address a trusted proxy saw.
 * @returns the address, or "unknown" when the socket has none.
 */
export function clientIp(req: IncomingMessage, trustedHops: number): string {
  const socket = req.socket.remoteAddress ?? "unknown";
  if (trustedHops <= 0) return socket;
  const header = req.headers["x-forwarded-for"];
  const raw = Array.isArray(header) ? header.join(",") : header;
  if (!raw) return socket;
  const hops = raw
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  if (hops.length === 0) return socket;
  const chosen = hops[Math.max(0, hops.length - trustedHops)] ?? socket;
  // A proxy writes an address, not prose: anything longer is refused rather than used as a key.
  return chosen.length <= 64 ? chosen : socket;
}

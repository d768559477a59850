/** Sockets handled per turn of the event loop by the fan-out and the keepalive sweep. */
export const SOCKETS_PER_TURN = 256;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Visits every item, starting at index `start` and wrapping around, and yields to the event loop
 * (`setImmediate`: after pending I/O) every `perTurn` items, so a loop over thousands of sockets
 * does not hold up reads, pongs, timers or other deliveries for its whole length.
 * `visit` throwing rejects the returned promise and stops the loop.
 */
export async function forEachInTurns<T>(
  items: readonly T[],
  visit: (item: T) => void,
  { start = 0, perTurn = SOCKETS_PER_TURN }: { start?: number; perTurn?: number } = {},
): Promise<void> {
  const count = items.length;
  for (let i = 0; i < count; i++) {
    if (i > 0 && i % perTurn === 0) await nextTurn();
    const item = items[(start + i) % count];
    if (item !== undefined) visit(item);
  }
}

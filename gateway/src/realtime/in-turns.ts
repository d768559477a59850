/** Sockets handled per turn of the event loop by the fan-out and the keepalive sweep. */
const SOCKETS_PER_TURN = 256;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Visits every item in order and yields to the event loop (`setImmediate`: after pending I/O) every
 * `perTurn` items, so a loop over thousands of sockets does not hold up reads, pongs, timers or
 * other deliveries for its whole length. `visit` throwing rejects the returned promise and stops the loop.
 */
export async function forEachInTurns<T>(
  items: readonly T[],
  visit: (item: T) => void,
  perTurn = SOCKETS_PER_TURN,
): Promise<void> {
  for (let i = 0; i < items.length; i++) {
    if (i > 0 && i % perTurn === 0) await nextTurn();
    const item = items[i];
    if (item !== undefined) visit(item);
  }
}

import diagnostics_channel from "node:diagnostics_channel";
import type { Http2Session, ServerHttp2Stream } from "node:http2";

/** The HTTP/2 receive windows (connection and stream) the devpeer grants each client (decision 0208). */
export const CONNECTION_WINDOW_BYTES = 8 * 1024 * 1024;

const STREAM_CREATED = "http2.server.stream.created";

/**
 * Raises the HTTP/2 receive windows (connection and initial stream window) of every session accepted on
 * `port` to `bytes`, when its first stream opens. HTTP/2 starts a connection with 64 KiB: about 40
 * proposals or 18 signed transactions from one client, after which it waits for a WINDOW_UPDATE that this
 * process sends only once its event loop has read them. grpc-js's server has no option for it (its client has `grpc-node.flow_control_window`)
 * and no session hook, so this listens on Node's public `http2.server.stream.created` diagnostics
 * channel and touches only the sessions of this server's port.
 * @returns a function that stops it (sessions keep their window).
 */
export function widenConnectionWindows(port: number, bytes = CONNECTION_WINDOW_BYTES): () => void {
  const widened = new WeakSet<Http2Session>();
  const onStream = (message: unknown) => {
    const session = (message as { stream?: ServerHttp2Stream }).stream?.session;
    if (!session || widened.has(session) || session.destroyed || session.socket?.localPort !== port) return;
    widened.add(session);
    session.setLocalWindowSize(bytes);
    // And each stream's: the settings frame also lifts the per-stream limit of the calls that follow.
    session.settings({ initialWindowSize: bytes });
  };
  diagnostics_channel.subscribe(STREAM_CREATED, onStream);
  return () => diagnostics_channel.unsubscribe(STREAM_CREATED, onStream);
}

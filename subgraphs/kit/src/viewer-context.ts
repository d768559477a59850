import type { IncomingHttpHeaders } from "node:http";
import { type Clock, systemClock } from "./clock.js";
import { errors } from "./errors.js";
import { VIEWER_HEADER, type Viewer, ViewerHeaderError, verifyViewer } from "./viewer.js";

/** Paths a subgraph answers without a viewer header: probes and scrapes, never data. */
export const UNAUTHENTICATED_PATHS: ReadonlySet<string> = new Set(["/health", "/ready", "/metrics"]);

/** A viewer known to be a signed-in user. */
export type UserViewer = Viewer & { sub: string };

/**
 * Reads and verifies the gateway's signed viewer header from a request. An anonymous viewer is
 * fine here (the gateway signs those too); only a missing, forged or expired header is refused.
 * @throws AppError UNAUTHENTICATED (the verification detail goes to logs, not to the caller).
 */
export function viewerFromHeaders(headers: IncomingHttpHeaders, secret: string, clock: Clock = systemClock): Viewer {
  const raw = headers[VIEWER_HEADER];
  const header = Array.isArray(raw) ? raw[0] : raw;
  try {
    return verifyViewer(header, secret, clock.now());
  } catch (error) {
    if (error instanceof ViewerHeaderError) {
      throw errors.unauthenticated("This service only answers requests that come through the gateway.");
    }
    throw error;
  }
}

/**
 * @returns the viewer, narrowed to a signed-in user.
 * @throws AppError UNAUTHENTICATED for an anonymous viewer.
 */
export function requireUser(viewer: Viewer): UserViewer {
  if (viewer.sub === null) throw errors.unauthenticated();
  return { ...viewer, sub: viewer.sub };
}

/**
 * @returns the viewer, narrowed to a signed-in platform admin.
 * @throws AppError UNAUTHENTICATED when anonymous, FORBIDDEN when not an admin.
 */
export function requireAdmin(viewer: Viewer): UserViewer {
  const user = requireUser(viewer);
  if (!user.roles.includes("ADMIN")) throw errors.forbidden("Only a platform admin can do this.");
  return user;
}

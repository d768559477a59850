import { type Logger, type LoggerOptions, pino } from "pino";

export type { Logger } from "pino";

/**
 * Paths pino blanks out before a line is written. Secrets travel in headers (the viewer header is a
 * bearer credential for a minute), in config objects and in command payloads; wildcards cover one
 * level of nesting on purpose, as deeper wildcards make pino's redaction slow.
 */
export const REDACT_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-clearbook-viewer"]',
  'req.headers["x-api-key"]',
  "headers.authorization",
  "headers.cookie",
  'headers["x-clearbook-viewer"]',
  'headers["x-api-key"]',
  "authorization",
  "password",
  "secret",
  "token",
  "accessToken",
  "refreshToken",
  "apiKey",
  "privateKey",
  "masterKey",
  "*.password",
  "*.secret",
  "*.token",
  "*.accessToken",
  "*.refreshToken",
  "*.apiKey",
  "*.privateKey",
  "*.masterKey",
  "*.CLEARBOOK_INTERNAL_SECRET",
  "*.authorization",
] as const;

export interface LoggerConfig {
  /** The service name, on every line. */
  name: string;
  level?: LoggerOptions["level"];
  /** Where lines go; stdout by default. Tests pass a stream to read them back. */
  destination?: pino.DestinationStream;
}

/** Creates the service's root logger (JSON lines, secrets redacted). */
export function createLogger(config: LoggerConfig): Logger {
  const options: LoggerOptions = {
    name: config.name,
    level: config.level ?? "info",
    redact: { paths: [...REDACT_PATHS], censor: "[redacted]" },
    base: { service: config.name },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return config.destination ? pino(options, config.destination) : pino(options);
}

/** A child logger for one request or one stream entry, so every line carries its id. */
export function requestLogger(logger: Logger, requestId: string, bindings: Record<string, unknown> = {}): Logger {
  return logger.child({ rid: requestId, ...bindings });
}

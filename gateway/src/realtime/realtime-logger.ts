/** The slice of a pino logger the realtime layer writes to. */
export interface RealtimeLogger {
  debug(object: object, message: string): void;
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export const silentLogger: RealtimeLogger = { debug() {}, info() {}, warn() {}, error() {} };

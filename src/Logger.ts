/**
 * The logger a client writes to: any object with some of `debug`, `info`, `warn`, `error` (`console` will do).
 * Records carry no secret: inputs are redacted before they are logged, and credentials are never logged.
 *
 * @since 0.2.0
 */

/**
 * A logger. A method that is absent is a level nobody listens to; a method that throws does not break a call.
 *
 * @public
 * @since 0.1.0
 */
export interface Logger {
  debug?(msg: string, fields?: Record<string, unknown>): void
  info?(msg: string, fields?: Record<string, unknown>): void
  warn?(msg: string, fields?: Record<string, unknown>): void
  error?(msg: string, fields?: Record<string, unknown>): void
}

/**
 * Write one record at `debug`, swallowing a logger's own failure.
 *
 * @internal
 */
export const logDebug = (logger: Logger | undefined, msg: string, fields: Record<string, unknown>): void => {
  try {
    logger?.debug?.(msg, fields)
  } catch {
    // A logger that throws must not break a call.
  }
}

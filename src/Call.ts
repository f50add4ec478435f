/**
 * The types every call shares: its options, the `$metadata` on its result, a dry run's outcome, and the effects
 * (clock, random, sleep) a client runs on. Their own module, so the waiter, the paginator and the pipeline can name
 * them without importing the client.
 *
 * @since 0.2.0
 */
import type { ProviderEnvironment } from './internal/config/SharedConfigFiles.js'

/**
 * What every result carries about the call that produced it, as AWS SDK v3's `$metadata` does.
 *
 * @public
 * @since 0.1.0
 */
export interface ResponseMetadata {
  /** EC2's request id, from the body (`requestId`), else the `x-amzn-requestid` header. */
  readonly requestId: string | undefined
  readonly httpStatusCode: number
  /** Attempts made, the successful one included. */
  readonly attempts: number
  /** Milliseconds spent waiting between attempts. */
  readonly totalRetryDelay: number
}

/**
 * A result with its `$metadata`.
 *
 * @public
 * @since 0.1.0
 */
export type WithMetadata<O> = O & { readonly $metadata: ResponseMetadata }

/**
 * Options of one call.
 *
 * @public
 * @since 0.1.0
 */
export interface CallOptions {
  /** Aborts the call, between attempts as well as during one. */
  readonly signal?: AbortSignal | undefined
}

/**
 * The effects a client depends on. Tests pass fixed ones; everyone else takes the defaults.
 *
 * @public
 * @since 0.1.0
 */
export interface Runtime {
  /** Milliseconds since the epoch. */
  readonly now: () => number
  /** Uniform in [0, 1), for backoff jitter. */
  readonly random: () => number
  /** Resolves after `ms`, or early when `signal` aborts. */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  /** A fresh idempotency token. */
  readonly uuid: () => string
  /** The environment the config edge reads (`process.env` and `~` by default). */
  readonly environment?: ProviderEnvironment
}

/**
 * What a dry run says: whether the caller may make the call.
 *
 * @public
 * @since 0.1.0
 */
export type DryRunOutcome =
  | { readonly allowed: true; readonly requestId: string | undefined }
  | {
      readonly allowed: false
      readonly message: string
      /** The encoded authorization failure, for `sts:DecodeAuthorizationMessage`, when EC2 sent one. */
      readonly encodedMessage: string | undefined
      readonly requestId: string | undefined
    }


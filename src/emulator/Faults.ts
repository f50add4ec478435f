/**
 * Fault injection: which requests the emulator throttles, fails, resets or delays.
 *
 * Decisions come from a seeded generator, one draw sequence per emulator, so a test that fixes the seed and sends
 * the same requests in the same order sees the same faults on every run.
 *
 * @since 0.1.0
 */

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * Faults to inject, each rate a probability per request in `[0, 1]`.
 *
 * @public
 * @since 0.1.0
 */
export interface EmulatorFaults {
  /** Answer `503 RequestLimitExceeded`, as EC2 does when the account's request bucket is empty. */
  readonly throttleRate?: number
  /** Answer `500 InternalError` or `503 Unavailable` (chosen evenly). */
  readonly serverErrorRate?: number
  /** Destroy the connection before any response byte is written (the client sees `ECONNRESET`/`UND_ERR_SOCKET`). */
  readonly resetRate?: number
  /** Delay every response by this many real milliseconds (not emulator time: it models the network). */
  readonly latencyMs?: number
  /** Seed of the decision sequence; the same seed gives the same faults for the same request order. */
  readonly seed?: number
}

/**
 * What to do with one request.
 *
 * @internal
 * @since 0.1.0
 */
export type FaultDecision =
  | { readonly _tag: 'None' }
  | { readonly _tag: 'Reset' }
  | { readonly _tag: 'Throttle' }
  | { readonly _tag: 'ServerError'; readonly code: 'InternalError' | 'Unavailable' }

/**
 * The fault plan of one emulator.
 *
 * @internal
 * @since 0.1.0
 */
export interface Faults {
  readonly latencyMs: number
  decide(): FaultDecision
}

// -------------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------------

/**
 * mulberry32: tiny, fast and good enough to spread faults; not for anything secret.
 *
 * @internal
 * @since 0.1.0
 */
export const seededRandom = (seed: number): (() => number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const rate = (name: string, v: number | undefined): number => {
  if (v === undefined) return 0
  if (!Number.isFinite(v) || v < 0 || v > 1) throw new RangeError(`startEmulator: faults.${name} must be in [0, 1]`)
  return v
}

/**
 * A fault plan from the options. Every request draws the same number of values whatever the outcome, so adding
 * a rate does not shift the decisions made for the other kinds.
 *
 * @internal
 * @since 0.1.0
 */
export const makeFaults = (options: EmulatorFaults = {}): Faults => {
  const reset = rate('resetRate', options.resetRate)
  const throttle = rate('throttleRate', options.throttleRate)
  const server = rate('serverErrorRate', options.serverErrorRate)
  const latencyMs = options.latencyMs ?? 0
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new RangeError('startEmulator: faults.latencyMs must be >= 0')
  const random = seededRandom(options.seed ?? Math.floor(Math.random() * 2 ** 32))
  return {
    latencyMs,
    decide: () => {
      const r1 = random()
      const r2 = random()
      const r3 = random()
      const r4 = random()
      if (r1 < reset) return { _tag: 'Reset' }
      if (r2 < throttle) return { _tag: 'Throttle' }
      if (r3 < server) return { _tag: 'ServerError', code: r4 < 0.5 ? 'InternalError' : 'Unavailable' }
      return { _tag: 'None' }
    },
  }
}

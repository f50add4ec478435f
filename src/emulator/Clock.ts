/**
 * The emulator's two notions of time.
 *
 * - The **clock** (`now()`) is the service's wall clock: it stamps the `Date` header, the SigV4 freshness check and
 *   the seven-day visibility of finished tasks.
 * - The **work time** (`work()`) is how far import work has got: tasks move through their phases by it.
 *
 * With a manual clock both move only when a test calls `advance`. With `{ speed }` the clock follows real time
 * and only the work runs `speed` times faster. The clock itself is never sped up: SigV4 refuses a signature more
 * than a few minutes off the service's clock, so a clock racing ahead would turn every request of a client that
 * signs with real time into `RequestExpired` after a second or two.
 *
 * @since 0.1.0
 */

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * How the emulator's time moves: `'manual'` (only by `advance`) or `{ speed }` (real time, with import work
 * `speed` times faster).
 *
 * @public
 * @since 0.1.0
 */
export type ClockMode = 'manual' | { readonly speed: number }

/**
 * The emulator's clock as tests see it.
 *
 * @public
 * @since 0.1.0
 */
export interface EmulatorClock {
  /** The service's current time, in milliseconds since the epoch. */
  now(): number
  /** Move the clock (and the import work) forward by `ms` milliseconds. */
  advance(ms: number): void
}

/**
 * The clock, plus the work time the task store reads.
 *
 * @internal
 * @since 0.1.0
 */
export interface EngineClock extends EmulatorClock {
  /** Work time in milliseconds since the emulator started. */
  work(): number
  /** Work milliseconds per clock millisecond while no one calls `advance` (0 for a manual clock). */
  readonly rate: number
}

// -------------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------------

/**
 * A clock for `mode`, starting at the real current time (so a client that signs with its own clock is not
 * refused on the first request).
 *
 * @internal
 * @since 0.1.0
 */
export const makeClock = (
  mode: ClockMode,
  wallNow: () => number = Date.now,
  monotonicNow: () => number = () => performance.now(),
): EngineClock => {
  const startWall = wallNow()
  // Elapsed real time is measured on the monotonic clock, so a host clock adjustment cannot move tasks backwards.
  const startMono = monotonicNow()
  let advanced = 0
  const speed = mode === 'manual' ? 0 : mode.speed
  if (!Number.isFinite(speed) || speed < 0) {
    throw new RangeError('startEmulator: clock.speed must be a finite number >= 0')
  }
  const realElapsed = (): number => (mode === 'manual' ? 0 : Math.max(0, monotonicNow() - startMono))
  return {
    rate: speed,
    now: () => startWall + advanced + realElapsed(),
    work: () => advanced + realElapsed() * speed,
    advance: (ms: number) => {
      // A clock that could go backwards would make tasks un-complete; refuse it loudly, it is a test bug.
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('clock.advance: ms must be a finite number >= 0')
      advanced += ms
    },
  }
}

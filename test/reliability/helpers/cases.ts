/**
 * The reliability suite's case table: every scenario records one row (what was expected, what happened, attempts,
 * time) on its test's `meta`, so the reliability reporter (`test/reliability/reporter.ts`) can print one table for
 * the whole run. Under the default `vitest.config.ts` there is no such reporter, so each file prints its own rows
 * in an `afterAll`.
 *
 * Also here: the guard every file installs against unhandled rejections and uncaught exceptions, and the small
 * helpers that turn "never a throw, never a hang" into values a test can assert on.
 */
import { afterAll, type TestContext } from 'vitest'

// -------------------------------------------------------------------------------------------------
// rows
// -------------------------------------------------------------------------------------------------

/** One scenario of the table. */
export interface CaseRow {
  /** The group (faults, idempotency, load, bad input, secrets, transport). */
  readonly area: string
  readonly name: string
  /** The documented outcome. */
  readonly expected: string
  /** What the client returned. */
  readonly actual: string
  /** `$metadata.attempts` or the Left's `attempts`, or a summary for many calls. */
  readonly attempts: string
  /** Wall-clock milliseconds of the scenario. */
  readonly ms: number
}

declare module 'vitest' {
  interface TaskMeta {
    reliability?: Array<CaseRow>
  }
}

const local: Array<{ readonly row: CaseRow; readonly test: string }> = []

/** Record a row on the running test (call it before asserting, so a failing case still shows what happened). */
export const recordCase = (ctx: TestContext, row: Omit<CaseRow, 'attempts'> & { readonly attempts?: number | string | undefined }): void => {
  const full: CaseRow = { ...row, attempts: row.attempts === undefined ? '' : String(row.attempts), ms: Math.round(row.ms) }
  const meta = ctx.task.meta
  ;(meta.reliability ??= []).push(full)
  local.push({ row: full, test: ctx.task.id })
}

// -------------------------------------------------------------------------------------------------
// table
// -------------------------------------------------------------------------------------------------

/** Word-wrap `s` to lines of at most `width` characters (a word longer than that is cut). */
const wrap = (s: string, width: number): Array<string> => {
  const lines: Array<string> = []
  let line = ''
  for (const word of s.replace(/\s+/g, ' ').trim().split(' ')) {
    let w = word
    while (w.length > width) {
      if (line !== '') lines.push(line)
      lines.push(w.slice(0, width))
      w = w.slice(width)
      line = ''
    }
    if (line === '') line = w
    else if (line.length + 1 + w.length <= width) line += ` ${w}`
    else {
      lines.push(line)
      line = w
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line)
  return lines
}

/** Render rows (with their test's pass/fail) as a text table whose cells wrap. */
export const renderTable = (rows: ReadonlyArray<CaseRow & { readonly result: string }>): string => {
  type Row = CaseRow & { readonly result: string }
  const cols: ReadonlyArray<readonly [string, (r: Row) => string, number, 'left' | 'right']> = [
    ['', (r) => r.result, 4, 'left'],
    ['area', (r) => r.area, 11, 'left'],
    ['case', (r) => r.name, 40, 'left'],
    ['expected', (r) => r.expected, 36, 'left'],
    ['actual', (r) => r.actual, 50, 'left'],
    ['attempts', (r) => r.attempts, 14, 'left'],
    ['ms', (r) => String(r.ms), 6, 'right'],
  ]
  const widths = cols.map(([h, f, max]) => Math.min(max, Math.max(h.length, ...rows.map((r) => f(r).length))))
  const block = (cells: ReadonlyArray<string>): Array<string> => {
    const wrapped = cells.map((c, i) => wrap(c, widths[i]!))
    const height = Math.max(...wrapped.map((w) => w.length))
    const out: Array<string> = []
    for (let k = 0; k < height; k++) {
      out.push(
        wrapped
          .map((w, i) => {
            const text = w[k] ?? ''
            return cols[i]![3] === 'right' ? text.padStart(widths[i]!) : text.padEnd(widths[i]!)
          })
          .join(' │ ')
          .trimEnd(),
      )
    }
    return out
  }
  const rule = (ch: string, cross: string) => widths.map((w) => ch.repeat(w)).join(`${ch}${cross}${ch}`)
  const out = [...block(cols.map(([h]) => h)), rule('═', '╪')]
  rows.forEach((r, i) => {
    if (i > 0) out.push(rule('─', '┼'))
    out.push(...block(cols.map(([, f]) => f(r))))
  })
  return out.join('\n')
}

/** Whether the reliability reporter prints the table (then files do not print their own). */
const reporterPrints = (): boolean => process.env['EC2_RELIABILITY_REPORTER'] === '1'

/**
 * Install the file's guards: an unhandled rejection or uncaught exception anywhere in the file is recorded (the last
 * test of each file asserts there were none); and, without the reliability reporter, print the file's table at the end.
 */
export const installGuards = (file: string): { readonly problems: () => ReadonlyArray<string> } => {
  const problems: Array<string> = []
  const onRejection = (reason: unknown) => problems.push(`unhandledRejection: ${describe(reason)}`)
  const onException = (error: unknown) => problems.push(`uncaughtException: ${describe(error)}`)
  process.on('unhandledRejection', onRejection)
  process.on('uncaughtException', onException)
  afterAll(({}, suite) => {
    process.off('unhandledRejection', onRejection)
    process.off('uncaughtException', onException)
    if (reporterPrints()) return
    const states = new Map<string, string>()
    const walk = (tasks: ReadonlyArray<{ id: string; result?: { state?: string } | undefined; tasks?: ReadonlyArray<unknown> }>) => {
      for (const t of tasks) {
        states.set(t.id, t.result?.state ?? 'run')
        if (Array.isArray(t.tasks)) walk(t.tasks as never)
      }
    }
    walk((suite as unknown as { tasks: ReadonlyArray<never> }).tasks)
    const rows = local.map(({ row, test }) => ({ ...row, result: resultMark(states.get(test)) }))
    if (rows.length > 0) process.stdout.write(`\n${file}: reliability cases\n${renderTable(rows)}\n`)
  })
  return { problems: () => problems.slice() }
}

/** A test state as the table's first column. */
export const resultMark = (state: string | undefined): string =>
  state === 'pass' ? 'ok' : state === 'fail' ? 'FAIL' : state === 'skip' ? 'skip' : state ?? '?'

const describe = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e))

// -------------------------------------------------------------------------------------------------
// never a throw, never a hang
// -------------------------------------------------------------------------------------------------

/** What a call came to: its value, or that it threw/rejected, or that it outlived its bound. */
export type Settled<A> =
  | { readonly _tag: 'Value'; readonly value: A; readonly ms: number }
  | { readonly _tag: 'Threw'; readonly error: unknown; readonly ms: number }
  | { readonly _tag: 'Hung'; readonly ms: number }

/**
 * Run `f` and settle it within `boundMs`: a rejection (or synchronous throw) and a hang become values. The bound's
 * timer is always cleared, so a settled call leaves nothing behind.
 */
export const settle = async <A>(f: () => Promise<A>, boundMs: number): Promise<Settled<A>> => {
  const started = performance.now()
  let timer: NodeJS.Timeout | undefined
  const hung = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), boundMs)
  })
  try {
    const run = (async () => f())()
    const r = await Promise.race([run.then((value) => ({ value })), hung])
    if (r === 'hung') {
      // Still observe the call, so its eventual rejection is not unhandled.
      run.catch(() => undefined)
      return { _tag: 'Hung', ms: performance.now() - started }
    }
    return { _tag: 'Value', value: r.value, ms: performance.now() - started }
  } catch (error) {
    return { _tag: 'Threw', error, ms: performance.now() - started }
  } finally {
    clearTimeout(timer)
  }
}

/** A short description of an `Either` of the client, for the table. */
export const outcomeOf = (r: unknown): string => {
  const e = r as { _tag?: string; left?: Record<string, unknown>; right?: Record<string, unknown> }
  if (e._tag === 'Right') {
    const id = e.right?.['ImportTaskId'] ?? e.right?.['ImageId']
    return `Right${typeof id === 'string' ? ` ${id}` : ''}`
  }
  if (e._tag !== 'Left' || e.left === undefined) return `not an Either: ${String(r)}`
  const l = e.left
  const parts = [String(l['_tag'])]
  if (l['_tag'] === 'TransportError') parts.push(`${String(l['reason'])}${l['code'] === undefined ? '' : ` ${String(l['code'])}`}`)
  if (l['_tag'] === 'ServiceError') parts.push(`${String(l['code'])} HTTP ${String(l['statusCode'])}`)
  if (l['_tag'] === 'DecodeError') parts.push(`HTTP ${String(l['statusCode'])}, body kept (${String(l['body']).length} chars)`)
  if (l['_tag'] === 'WaitError') parts.push(String(l['reason']))
  if (l['_tag'] === 'ValidationError') parts.push((l['errors'] as Array<{ path: string }>).map((x) => x.path).join(', '))
  return `Left ${parts.join(' ')}`
}

/** The attempts an `Either` reports: `$metadata.attempts` or the Left's `attempts`. */
export const attemptsOf = (r: unknown): number | undefined => {
  const e = r as { _tag?: string; left?: { attempts?: unknown }; right?: { $metadata?: { attempts?: unknown } } }
  const n = e._tag === 'Right' ? e.right?.$metadata?.attempts : e.left?.attempts
  return typeof n === 'number' ? n : undefined
}

/** Every `_tag` of the client's closed error union. */
export const ERROR_TAGS: ReadonlySet<string> = new Set([
  'ConfigError',
  'ValidationError',
  'CredentialsError',
  'TransportError',
  'ServiceError',
  'DecodeError',
  'WaitError',
  'PaginationError',
])

/** Whether a value is an `Either` of the client: a Right, or a Left of the closed union with a string message. */
export const isTypedEither = (r: unknown): boolean => {
  const e = r as { _tag?: unknown; left?: { _tag?: unknown; message?: unknown } }
  if (e?._tag === 'Right') return true
  return e?._tag === 'Left' && typeof e.left?._tag === 'string' && ERROR_TAGS.has(e.left._tag) && typeof e.left.message === 'string'
}

/** Resolve after `ms` real milliseconds. */
export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Poll `check` every 10 ms until it holds or `boundMs` passes; whether it held. */
export const eventually = async (check: () => boolean, boundMs: number): Promise<boolean> => {
  const until = performance.now() + boundMs
  for (let i = 0; i < 10_000 && performance.now() < until; i++) {
    if (check()) return true
    await delay(10)
  }
  return check()
}

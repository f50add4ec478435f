/**
 * Bad input, at volume.
 *
 * - 10,000 fast-check requests through the public API, valid and invalid (`test/helpers/arbitraries.ts`): zero
 *   throws; every invalid one is a `ValidationError` naming the mutated path, and nothing is sent for it (the
 *   emulator's request log counts exactly the valid ones); no valid one is refused by validation.
 * - 10,000 bad response bodies (`helpers/bad-responses.ts`: written results and error envelopes truncated, bit-flipped,
 *   spliced, re-rooted, deeply nested, entity-laden, with invalid UTF-8, …; proxy HTML; random text), each given to
 *   the reader (`decodeResponse`) as every operation and served to the client through an undici `MockAgent` as its
 *   dispatcher. Neither throws nor hangs; each result is judged by an independent XML 1.0 well-formedness checker
 *   (`test/helpers/well-formed.ts`): a Right only for a 2xx, well-formed `<{Op}Response>` (never for a body cut
 *   short), a ServiceError only for a well-formed error envelope, anything else a DecodeError keeping the raw body;
 *   no external entity ever resolved.
 */
import fc from 'fast-check'
import { MockAgent } from 'undici'
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest'
import { createClient, type Ec2ImportClient } from '../../src/Client.js'
import { MAX_KEPT_BODY, type Ec2ImportError } from '../../src/Ec2ImportError.js'
import { keepsBody } from '../helpers/kept-body.js'
import { startEmulator } from '../../src/emulator.js'
import { decodeResponse } from '../../src/internal/protocol/Operation.js'
import { invalidRequest, operationOf, validRequest, type InvalidRequest, type ValidRequest } from '../helpers/arbitraries.js'
import { checkWellFormed, localName, reasonKind, type WellFormed } from '../helpers/well-formed.js'
import { badResponse, describeResponse, OPS, type BadResponse } from './helpers/bad-responses.js'
import { isTypedEither, outcomeOf, recordCase, settle } from './helpers/cases.js'
import { CREDENTIALS, EMPTY_ENVIRONMENT } from './helpers/secrets.js'
import { watchFile } from './helpers/sweep.js'

const watch = watchFile('bad-input.test.ts', 'bad input')
const sink = watch.sink

/** Seeds: fixed, so a failure reproduces; `RELIABILITY_SEED` picks others. */
const SEED = Number(process.env['RELIABILITY_SEED'] ?? 20261127)

const N_VALID = 5_000
const N_INVALID_ALONE = 2_000
const N_INVALID_MIXED = 3_000
const N_BODIES = 10_000
const CONCURRENCY = 16

type Op = ValidRequest['op']

const invoke = (client: Ec2ImportClient, op: Op, input: unknown) => {
  switch (op) {
    case 'ImportImage':
      return client.importImage(input as never)()
    case 'DescribeImportImageTasks':
      return client.describeImportImageTasks(input as never)()
    case 'CancelImportTask':
      return client.cancelImportTask(input as never)()
  }
}

/** Run `work` over `items` with at most `n` in flight. */
const pool = async <A>(items: ReadonlyArray<A>, n: number, work: (a: A, i: number) => Promise<void>): Promise<void> => {
  let next = 0
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++
        await work(items[i]!, i)
      }
    }),
  )
}

const tally = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1)
const top = (m: Map<string, number>, n = 6) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')

// -------------------------------------------------------------------------------------------------
// requests
// -------------------------------------------------------------------------------------------------

describe('10,000 generated requests through the public API', () => {
  it(`${N_INVALID_ALONE + N_INVALID_MIXED} invalid and ${N_VALID} valid requests: zero throws, invalid ones refused by path and never sent`, async (ctx) => {
    // Tasks complete at once and vanish at once, so Describe pages stay small however many imports succeed.
    const em = await startEmulator({ clock: { speed: 1e9 }, retentionMs: 0, maxActiveTasks: 1_000_000, credentials: CREDENTIALS })
    const client = createClient(
      { region: em.region, endpoint: em.endpoint, credentials: CREDENTIALS, logger: sink.logger, maxAttempts: 1 },
      { environment: EMPTY_ENVIRONMENT },
    )
    const invalid = fc.sample(invalidRequest, { numRuns: N_INVALID_ALONE + N_INVALID_MIXED, seed: SEED })
    const valid = fc.sample(validRequest, { numRuns: N_VALID, seed: SEED + 1 })
    const started = performance.now()
    let throws = 0
    let hung = 0
    const wrongPath: Array<string> = []
    const notValidationLeft: Array<string> = []
    const validRefused: Array<string> = []
    const outcomes = new Map<string, number>()
    const mutationsSeen = new Set<string>()

    const checkInvalid = async (bad: InvalidRequest) => {
      mutationsSeen.add(`${bad.op}: ${bad.mutation}`)
      const s = await settle(() => invoke(client, bad.op, bad.input), 10_000)
      if (s._tag === 'Threw') throws++
      if (s._tag === 'Hung') hung++
      if (s._tag !== 'Value') return
      sink.either(s.value)
      const r = s.value
      if (r._tag !== 'Left' || r.left._tag !== 'ValidationError') {
        notValidationLeft.push(`${bad.op} ${bad.mutation}: ${outcomeOf(r)}`)
        return
      }
      if (!r.left.errors.some((e) => e.path === bad.path)) {
        wrongPath.push(`${bad.op} ${bad.mutation}: expected ${bad.path}, got ${r.left.errors.map((e) => e.path).join(', ')}`)
      }
    }
    const checkValid = async (good: ValidRequest) => {
      const s = await settle(() => invoke(client, good.op, good.input), 10_000)
      if (s._tag === 'Threw') throws++
      if (s._tag === 'Hung') hung++
      if (s._tag !== 'Value') return
      sink.either(s.value)
      const r = s.value
      if (!isTypedEither(r)) throws++
      tally(outcomes, r._tag === 'Right' ? 'Right' : `${r.left._tag === 'ServiceError' ? r.left.code : r.left._tag}`)
      if (r._tag === 'Left' && r.left._tag === 'ValidationError') validRefused.push(`${good.op}: ${r.left.message}`)
    }

    // Invalid alone: not one request may reach the emulator.
    await pool(invalid.slice(0, N_INVALID_ALONE), CONCURRENCY, checkInvalid)
    const sentForInvalidAlone = em.requests.length
    // Then valid and invalid interleaved: the emulator sees exactly the valid ones.
    const mixed: Array<{ readonly kind: 'valid'; readonly v: ValidRequest } | { readonly kind: 'invalid'; readonly v: InvalidRequest }> = []
    const rest = invalid.slice(N_INVALID_ALONE)
    for (let i = 0, j = 0; i < valid.length || j < rest.length; ) {
      if (i < valid.length) mixed.push({ kind: 'valid', v: valid[i++]! })
      if (j < rest.length && (i % 5 !== 0 || i >= valid.length)) mixed.push({ kind: 'invalid', v: rest[j++]! })
    }
    await pool(mixed, CONCURRENCY, (m) => (m.kind === 'valid' ? checkValid(m.v) : checkInvalid(m.v)))
    const sent = em.requests.length
    const validationErrorsAtEmulator = em.requests.filter((q) => q.status === 0).length
    await client.close()
    await em.close()

    recordCase(ctx, {
      area: 'bad input',
      name: `${invalid.length} invalid requests (${mutationsSeen.size} kinds of mutation)`,
      expected: 'ValidationError naming the path; 0 sent',
      actual: `${invalid.length - notValidationLeft.length - wrongPath.length} named the path, ${wrongPath.length} wrong path, ${notValidationLeft.length} not ValidationError; sent ${sentForInvalidAlone} (alone), ${sent - N_VALID} (mixed)`,
      attempts: `seed ${SEED}`,
      ms: performance.now() - started,
    })
    recordCase(ctx, {
      area: 'bad input',
      name: `${valid.length} valid requests, interleaved with the invalid`,
      expected: 'Right or EC2 Left, never ValidationError; 0 throws, 0 hangs',
      actual: `${top(outcomes)}; ${validRefused.length} refused; ${throws} throws, ${hung} hangs; ${sent} sent`,
      attempts: `seed ${SEED + 1}`,
      ms: 0,
    })
    expect(throws).toBe(0)
    expect(hung).toBe(0)
    expect(notValidationLeft.slice(0, 5)).toEqual([])
    expect(wrongPath.slice(0, 5)).toEqual([])
    expect(validRefused.slice(0, 5)).toEqual([])
    expect(sentForInvalidAlone).toBe(0)
    expect(sent).toBe(N_VALID)
    expect(validationErrorsAtEmulator).toBe(0)
  }, 120_000)
})

// -------------------------------------------------------------------------------------------------
// responses
// -------------------------------------------------------------------------------------------------

const INPUTS: Readonly<Record<Op, unknown>> = {
  ImportImage: { DiskContainers: [{ Format: 'VMDK', UserBucket: { S3Bucket: 'images', S3Key: 'web.vmdk' } }] },
  DescribeImportImageTasks: { ImportTaskIds: ['import-ami-0123456789abcdef0'] },
  CancelImportTask: { ImportTaskId: 'import-ami-0123456789abcdef0' },
}

/** What one check found wrong, by invariant: how often, and the first few responses (by index in the sample). */
class Findings {
  private readonly found = new Map<string, { count: number; examples: Array<string> }>()
  add(invariant: string, example: () => string): void {
    const f = this.found.get(invariant) ?? { count: 0, examples: [] }
    f.count += 1
    if (f.examples.length < 3) f.examples.push(example())
    this.found.set(invariant, f)
  }
  /** `invariant: count× — e.g. …` for each invariant of the group that was broken. */
  of(group: string): Array<string> {
    return [...this.found]
      .filter(([k]) => k.startsWith(`${group}: `))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, f]) => `${k}: ${f.count}× — e.g.\n    ${f.examples.join('\n    ')}`)
  }
  /** `invariant ×count; …` for the table. */
  summary(group: string): string {
    const broken = [...this.found].filter(([k]) => k.startsWith(`${group}: `))
    return broken.length === 0 ? 'none' : broken.map(([k, f]) => `${k.slice(group.length + 2)} ×${f.count}`).join('; ')
  }
}

/** What `/etc/passwd` (the external entity the bodies declare) would bring in. */
const READ_FILE = /root:[^:]*:0:0|\/usr\/sbin\/nologin/

type Decoded = ReturnType<typeof decodeResponse>
/** A result of the reader or of the client, its Right the decoded value. */
type Checked = { readonly _tag: 'Right'; readonly right: unknown } | { readonly _tag: 'Left'; readonly left: Ec2ImportError }

/** What the 10,000 responses came to; filled once by the `beforeAll`, then each test asserts its own part. */
interface Run {
  readonly findings: Findings
  /** Every checked result, from the reader (`decodeResponse`) and from the client. */
  readonly results: { right: number; serviceError: number; decodeError: number; reader: number; client: number }
  readonly clientOutcomes: Map<string, number>
  readonly kinds: Map<string, number>
  /** Bodies served (all of them, unless the loop broke off). */
  served: number
  /** Bodies longer than `MAX_KEPT_BODY`. */
  big: number
  throws: number
  hung: number
  maxMs: number
  maxCase: string
  ms: number
}

// The reader is judged by the independent well-formedness checker: a Right only for a well-formed `<{Op}Response>`,
// a ServiceError only for a well-formed error envelope; every other body is a DecodeError keeping it. The client
// answers with the same decoding, after the transport: so the client's result stands for the reader's on the called
// operation (the reader still decodes the body as the other two operations), and the reader decodes the called one
// too only when the text the client reads differs from the generated one (a lone surrogate goes out as U+FFFD).
describe('10,000 bad response bodies, through the reader for every operation and through the public API', () => {
  const agent = new MockAgent({ connections: 1 })
  afterAll(() => agent.close())
  const run: Run = {
    findings: new Findings(),
    results: { right: 0, serviceError: 0, decodeError: 0, reader: 0, client: 0 },
    clientOutcomes: new Map(),
    kinds: new Map(),
    served: 0,
    big: 0,
    throws: 0,
    hung: 0,
    maxMs: 0,
    maxCase: '',
    ms: 0,
  }
  const { findings, results } = run

  /** Check one result of `op` for `text`, served with `r.status`: the invariants every later test reports. */
  const check = (i: number, via: 'reader' | 'client', op: Op, r: BadResponse, text: string, verdict: () => WellFormed, d: Checked): void => {
    // described only when something is wrong
    const at = () => `#${i} ${via} as ${op}: ${describeResponse(r, text)}`
    results[via] += 1
    if (d._tag === 'Right') {
      results.right += 1
      if (r.status < 200 || r.status >= 300) findings.add('right: a Right for a non-2xx status', at)
      if (r.cutShort) findings.add('right: a Right for a body cut short', at)
      if (!operationOf(op).output.is(d.right)) findings.add('right: a Right the output codec refuses', at)
      const v = verdict()
      if (!v.ok || localName(v.root) !== `${op}Response`) {
        findings.add(`right: [engine bug] a Right for a body that is not a well-formed <${op}Response> (${v.ok ? `root <${v.root}>` : reasonKind(v.reason)})`, at)
      }
      const json = JSON.stringify(d.right)
      if (READ_FILE.test(json) || json.includes('expanded')) findings.add('entities: an entity resolved or expanded into a Right', at)
      return
    }
    const left = d.left
    if (left._tag !== 'ServiceError' && left._tag !== 'DecodeError') {
      findings.add(`never throws: a ${left._tag} for a served body (a throw inside the client comes back as one)`, () => `${at()} → ${outcomeOf(d)}: ${left.message.slice(0, 200)}`)
      return
    }
    if (left.statusCode !== r.status || left.attempts !== 1 || left.operation !== op) {
      findings.add('left: a Left not naming the operation, the status and 1 attempt', () => `${at()} → ${left.operation} HTTP ${left.statusCode}, ${left.attempts} attempts`)
    }
    // (a DecodeError's body is the response itself, checked against it below)
    if (READ_FILE.test(left.message)) findings.add('entities: an external entity read into a Left', at)
    if (left._tag === 'ServiceError') {
      results.serviceError += 1
      if (left.code.length === 0 || !left.message.includes(left.serviceMessage)) findings.add('service error: a ServiceError without its code or the service message', at)
      const v = verdict()
      if (!v.ok || !['Response', 'ErrorResponse'].includes(localName(v.root))) {
        findings.add(`service error: [engine bug] a ServiceError for a body that is not a well-formed error envelope (${v.ok ? `root <${v.root}>` : reasonKind(v.reason)})`, at)
      }
      return
    }
    results.decodeError += 1
    if (!keepsBody(left.body, text)) findings.add('left: a DecodeError not keeping the raw body (cut to MAX_KEPT_BODY, URL queries redacted)', () => `${at()} → kept ${JSON.stringify(left.body.slice(0, 100))}`)
    if (!left.message.includes(op) || !Array.isArray(left.errors)) findings.add('left: a DecodeError not naming the operation, or without its errors list', at)
  }

  beforeAll(async () => {
    agent.disableNetConnect()
    let current: { status: number; contentType: string; bytes: Buffer } | undefined
    agent
      .get('https://ec2.reliability.test')
      .intercept({ path: '/', method: 'POST' })
      .reply(() => ({
        statusCode: current!.status,
        data: current!.bytes,
        responseOptions: { headers: { 'x-amzn-requestid': 'hdr', ...(current!.contentType === '' ? {} : { 'content-type': current!.contentType }) } },
      }))
      .persist()
    const client = createClient(
      { region: 'us-east-1', endpoint: 'https://ec2.reliability.test', credentials: CREDENTIALS, dispatcher: agent, maxAttempts: 1, logger: sink.logger },
      { environment: EMPTY_ENVIRONMENT },
    )
    const started = performance.now()
    const responses = fc.sample(badResponse, { numRuns: N_BODIES, seed: SEED + 2 })
    for (const [i, r] of responses.entries()) {
      run.served += 1
      tally(run.kinds, r.source)
      for (const m of r.mutations) tally(run.kinds, m.replace(/ \d+$/, ''))
      const bytes = typeof r.body === 'string' ? Buffer.from(r.body, 'utf8') : r.body
      // what the client's transport reads (UTF-8, bad bytes as U+FFFD), and what the reader is given directly
      const seen = bytes.toString('utf8')
      const generated = typeof r.body === 'string' ? r.body : seen
      if (generated.length > MAX_KEPT_BODY) run.big += 1
      const verdicts = new Map<string, WellFormed>()
      const verdictOf = (text: string) => () => verdicts.get(text) ?? verdicts.set(text, checkWellFormed(text)).get(text)!

      for (const op of OPS) {
        if (op === r.op && generated === seen) continue
        let d: Decoded
        try {
          d = decodeResponse(operationOf(op), { statusCode: r.status, headers: { 'x-amzn-requestid': 'hdr' }, body: generated }, 1)
        } catch (e) {
          findings.add('never throws: the reader threw', () => `#${i} reader as ${op}: ${describeResponse(r, generated)} → ${String(e)}`)
          continue
        }
        check(i, 'reader', op, r, generated, verdictOf(generated), d._tag === 'Right' ? { _tag: 'Right', right: d.right.value } : d)
      }

      current = { status: r.status, contentType: r.contentType, bytes }
      const s = await settle(() => invoke(client, r.op, INPUTS[r.op]), 20_000)
      if (s.ms > run.maxMs) {
        run.maxMs = s.ms
        run.maxCase = r.mutations.join(', ') || r.source
      }
      if (s._tag === 'Threw') {
        run.throws += 1
        findings.add('never throws: the client threw or rejected', () => `#${i} ${describeResponse(r, seen)} → ${String(s.error)}`)
        continue
      }
      if (s._tag === 'Hung') {
        run.hung += 1
        findings.add('never throws: the client did not answer within 20 s', () => `#${i} ${describeResponse(r, seen)}`)
        continue
      }
      const d = s.value
      sink.either(d)
      if (!isTypedEither(d)) {
        findings.add('never throws: the client returned something other than a Right or a typed Left', () => `#${i} ${describeResponse(r, seen)} → ${outcomeOf(d)}`)
        continue
      }
      tally(run.clientOutcomes, d._tag === 'Right' ? 'Right' : d.left._tag)
      check(i, 'client', r.op, r, seen, verdictOf(seen), d as Checked)
    }
    await client.close()
    run.ms = performance.now() - started
  }, 300_000)

  const record = (ctx: TestContext, name: string, expected: string, actual: string, ms = 0) =>
    recordCase(ctx, { area: 'bad input', name, expected, actual, attempts: `seed ${SEED + 2}`, ms })
  const expectNone = (group: string, what: string) => {
    const found = findings.of(group)
    expect(found, `${what}:\n${found.join('\n')}`).toEqual([])
  }

  it(`${N_BODIES} bodies: neither the reader (as any operation) nor the client throws or hangs; the client answers each with a Right, a ServiceError or a DecodeError`, (ctx) => {
    record(
      ctx,
      `${N_BODIES} bad bodies (${run.kinds.size} kinds of source and mutation): reader ×${results.reader}, client ×${results.client}`,
      '0 throws, 0 hangs; Right, ServiceError or DecodeError',
      `client ${top(run.clientOutcomes)}; ${run.throws} throws, ${run.hung} hangs; broken: ${findings.summary('never throws')}`,
      run.ms,
    )
    expect(run.served).toBe(N_BODIES)
    expectNone('never throws', 'a throw, a hang or an untyped answer')
  })

  it('a Right only for a 2xx status and a well-formed <{Op}Response> the output codec accepts; never for a body cut short', (ctx) => {
    record(ctx, 'Rights among the bad bodies', 'only 2xx, well-formed <{Op}Response>, whole', `${results.right} Rights; broken: ${findings.summary('right')}`)
    expectNone('right', 'a Right the response does not justify')
  })

  it('a ServiceError only for a well-formed <Response> or <ErrorResponse>, with its code and the service message', (ctx) => {
    record(ctx, 'ServiceErrors among the bad bodies', 'only a well-formed error envelope', `${results.serviceError} ServiceErrors; broken: ${findings.summary('service error')}`)
    expectNone('service error', 'a ServiceError the response does not justify')
  })

  it('every other body is a DecodeError keeping the raw body (cut to MAX_KEPT_BODY, URL queries redacted); every Left names the operation, the status and 1 attempt', (ctx) => {
    record(ctx, 'DecodeErrors among the bad bodies', 'body kept; operation, status, attempts', `${results.decodeError} DecodeErrors; broken: ${findings.summary('left')}`)
    expectNone('left', 'a Left without what it must carry')
  })

  it('no external entity is read and no internal one expanded', (ctx) => {
    record(ctx, 'entities declared in the bad bodies', 'none read or expanded', `broken: ${findings.summary('entities')}`)
    expectNone('entities', 'an entity resolved')
  })

  it('the bodies reach every outcome: over 1,000 Rights (500 through the client), 100 ServiceErrors and 10,000 DecodeErrors, and bodies over the kept-body bound', (ctx) => {
    const { right, serviceError, decodeError } = results
    record(ctx, 'outcomes the bad bodies reached', '>1,000 Right (>500 client), >100 ServiceError, >10,000 DecodeError, >0 big', `${right} Right (${run.clientOutcomes.get('Right') ?? 0} client), ${serviceError} ServiceError, ${decodeError} DecodeError, ${run.big} big; slowest call ${Math.round(run.maxMs)} ms (${run.maxCase})`)
    expect(right).toBeGreaterThan(1000)
    expect(serviceError).toBeGreaterThan(100)
    expect(decodeError).toBeGreaterThan(10_000)
    expect(run.big).toBeGreaterThan(0)
    expect(run.clientOutcomes.get('Right') ?? 0).toBeGreaterThan(500)
  })
})

watch.sweep()

/**
 * Bad input, at volume, through the public API.
 *
 * - 10,000 fast-check requests, valid and invalid (`test/helpers/arbitraries.ts`): zero throws; every invalid one is
 *   a `ValidationError` naming the mutated path, and nothing is sent for it (the emulator's request log counts
 *   exactly the valid ones); no valid one is refused by validation.
 * - 10,000 mutated response bodies (truncated, spliced, re-rooted, deeply nested, entity-laden, invalid UTF-8, …)
 *   served through an undici `MockAgent` as the client's dispatcher: zero throws, every result a Right or a typed
 *   Left, a non-2xx status never a Right, a body cut short never a Right, no external entity ever resolved.
 */
import fc from 'fast-check'
import { MockAgent } from 'undici'
import { afterAll, describe, expect, it } from 'vitest'
import { createClient, type Ec2ImportClient } from '../../src/Client.js'
import { seededRandom } from '../../src/emulator/Faults.js'
import { startEmulator } from '../../src/emulator.js'
import { errorEnvelope, invalidRequest, validRequest, writtenResult, type InvalidRequest, type ValidRequest } from '../helpers/arbitraries.js'
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

const FRAGMENTS = [
  '<', '>', '</', '/>', '&', '&amp', '&#0;', '&#x110000;', '&#xD800;', '&#65535;', '&nope;', ']]>', '<![CDATA[', '<![CDATA[x]]>', '<!--', '-->',
  '<?xml version="1.0"?>', '<?pi x?>', '\u0000', '\u0001', '\uFFFE', '\uD800', '\uDC00', '😀', '\r\n', '<item>', '</item>', '<item/>',
  '<requestId>dup</requestId>', '<importTaskId>import-ami-x</importTaskId>', '<Errors><Error><Code>X</Code></Error></Errors>',
  'xmlns:a="b"', '<a:b xmlns:a="urn:x">t</a:b>', '<!DOCTYPE r [<!ENTITY e "expanded">]>', '&e;', '<html>', '</html>', '"', "'", '\u202E',
]

const XXE_PROLOG = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY xxe2 SYSTEM "http://127.0.0.1:9/x">]>'

interface Mutated {
  readonly kind: string
  readonly op: Op
  readonly status: number
  readonly contentType: string
  readonly body: string | Buffer
  /** The body was cut before its end: it must not decode to a Right. */
  readonly cutShort: boolean
}

/** A mutated response: one of the written bodies (or an error envelope), changed by one seeded mutation. */
const mutate = (op: Op, body: string, random: () => number): Mutated => {
  const int = (n: number) => Math.floor(random() * n)
  const pick = <A>(xs: ReadonlyArray<A>): A => xs[int(xs.length)]!
  const at = () => int(body.length + 1)
  const status = pick([200, 200, 200, 200, 200, 200, 400, 403, 404, 412, 500, 502, 503])
  const contentType = pick(['text/xml;charset=UTF-8', 'text/xml;charset=UTF-8', 'application/json', 'text/html', 'application/octet-stream', ''])
  const base = { op, status, contentType, cutShort: false }
  const root = /<([A-Za-z]+Response|Response)[\s>]/.exec(body)?.[1] ?? 'ImportImageResponse'
  switch (int(20)) {
    case 0: {
      const k = int(body.trimEnd().length)
      return { ...base, kind: 'truncate', body: body.slice(0, k), cutShort: true }
    }
    case 1: {
      const a = at()
      const b = Math.min(body.length, a + 1 + int(40))
      return { ...base, kind: 'delete range', body: body.slice(0, a) + body.slice(b) }
    }
    case 2: {
      const a = at()
      const b = Math.min(body.length, a + 1 + int(80))
      return { ...base, kind: 'duplicate range', body: body.slice(0, b) + body.slice(a, b) + body.slice(b) }
    }
    case 3:
    case 4: {
      const a = at()
      return { ...base, kind: 'insert fragment', body: body.slice(0, a) + pick(FRAGMENTS) + body.slice(a) }
    }
    case 5: {
      const a = int(body.length)
      return { ...base, kind: 'replace char', body: body.slice(0, a) + pick(['<', '>', '&', '\u0000', '\uD800', 'x', '"', ' ']) + body.slice(a + 1) }
    }
    case 6: {
      const other = pick(['DescribeImportImageTasksResponse', 'CancelImportTaskResponse', 'ImportImageResponse', 'Response', 'html', 'importimageresponse', 'ImportImageResult'])
      return { ...base, kind: 'other root', body: body.split(root).join(other) }
    }
    case 7: {
      // Mostly moderate; one in fifty as big as it gets (the big ones cost tens of milliseconds each).
      const depth = random() < 0.02 ? 20_000 : pick([50, 500, 2_000])
      const a = body.indexOf('>', body.indexOf(`<${root}`)) + 1
      return { ...base, kind: `nesting ${depth}`, body: body.slice(0, a) + '<x>'.repeat(depth) + '</x>'.repeat(depth) + body.slice(a) }
    }
    case 8: {
      const a = body.indexOf('<requestId>')
      const huge = pick(['a', '&amp;', '&#x1F600;', '<![CDATA[c]]>']).repeat(random() < 0.02 ? 50_000 : pick([500, 2_000]))
      return a === -1 ? { ...base, kind: 'huge text', body: body + huge } : { ...base, kind: 'huge text', body: `${body.slice(0, a + 11)}${huge}${body.slice(a + 11)}` }
    }
    case 9: {
      const tags = [...body.matchAll(/<\/([A-Za-z]+)>/g)].map((m) => m[1]!)
      const tag = tags.length === 0 ? root : pick(tags)
      return { ...base, kind: 'closing tags dropped', body: body.split(`</${tag}>`).join('') }
    }
    case 10: {
      const bytes = Buffer.from(body, 'utf8')
      for (let i = 0; i < 1 + int(4); i++) bytes[int(bytes.length)] = pick([0xff, 0xfe, 0xc0, 0x80, 0xed, 0x00])
      return { ...base, kind: 'invalid UTF-8 bytes', body: bytes }
    }
    case 11: {
      const a = body.indexOf('<requestId>')
      const inner = pick(['&xxe;', '&xxe2;'])
      const withoutDecl = body.replace(/^<\?xml[^>]*\?>\s*/, '')
      return { ...base, kind: 'external entity (XXE)', status: 200, body: XXE_PROLOG + (a === -1 ? withoutDecl : withoutDecl.replace('<requestId>', `<requestId>${inner}`)) }
    }
    case 12: {
      const item = /<item>[\s\S]*?<\/item>/.exec(body)?.[0] ?? '<item><key>k</key><value>v</value></item>'
      const a = body.indexOf(item)
      const many = item.repeat(random() < 0.02 ? 3_000 : pick([20, 200]))
      return { ...base, kind: 'many items', body: a === -1 ? body.replace(`</${root}>`, `<tagSet>${many}</tagSet></${root}>`) : body.slice(0, a) + many + body.slice(a) }
    }
    case 13:
      return { ...base, kind: 'BOM and CRLF', body: `\uFEFF${body.replace(/\n/g, '\r\n')}` }
    case 14:
    case 15: {
      // The body spliced at two random points: a piece dropped, or a piece repeated.
      return { ...base, kind: 'spliced', body: body.slice(0, at()) + body.slice(at()) }
    }
    case 16:
    case 17: {
      const k = int(body.trimEnd().length)
      return { ...base, kind: 'truncate', body: body.slice(0, k), cutShort: true }
    }
    default: {
      const a = at()
      return { ...base, kind: 'insert fragment', body: body.slice(0, a) + pick(FRAGMENTS) + pick(FRAGMENTS) + body.slice(a) }
    }
  }
}

const INPUTS: Readonly<Record<Op, unknown>> = {
  ImportImage: { DiskContainers: [{ Format: 'VMDK', UserBucket: { S3Bucket: 'images', S3Key: 'web.vmdk' } }] },
  DescribeImportImageTasks: { ImportTaskIds: ['import-ami-0123456789abcdef0'] },
  CancelImportTask: { ImportTaskId: 'import-ami-0123456789abcdef0' },
}

describe('10,000 mutated response bodies through the public API', () => {
  const agent = new MockAgent({ connections: 1 })
  afterAll(() => agent.close())

  it(`${N_BODIES} bodies: zero throws; non-2xx and cut-short bodies never a Right; no entity resolved`, async (ctx) => {
    agent.disableNetConnect()
    let current: Mutated | undefined
    agent
      .get('https://ec2.reliability.test')
      .intercept({ path: '/', method: 'POST' })
      .reply(() => ({
        statusCode: current!.status,
        data: current!.body,
        responseOptions: { headers: current!.contentType === '' ? {} : { 'content-type': current!.contentType } },
      }))
      .persist()
    const client = createClient(
      { region: 'us-east-1', endpoint: 'https://ec2.reliability.test', credentials: CREDENTIALS, dispatcher: agent, maxAttempts: 1, logger: sink.logger },
      { environment: EMPTY_ENVIRONMENT },
    )
    const written = fc.sample(writtenResult, { numRuns: N_BODIES * 0.8, seed: SEED + 2 })
    const random = seededRandom(SEED + 3)
    const sources: Array<{ op: Op; body: string }> = written.map((w) => ({ op: w.op, body: w.written.body }))
    for (let i = 0; i < N_BODIES * 0.2; i++) {
      const op = (['ImportImage', 'DescribeImportImageTasks', 'CancelImportTask'] as const)[i % 3]!
      sources.push({ op, body: errorEnvelope(['RequestLimitExceeded', 'InvalidParameterValue', 'UnauthorizedOperation', 'DryRunOperation'][i % 4]!, `message ${i} &lt;&amp;&gt; &quot;q&quot;`, `req-${i}`) })
    }
    const started = performance.now()
    let throws = 0
    let hung = 0
    let maxMs = 0
    let maxKind = ''
    const untyped: Array<string> = []
    const rightOnError: Array<string> = []
    const rightWhenCut: Array<string> = []
    const resolved: Array<string> = []
    const outcomes = new Map<string, number>()
    const kinds = new Map<string, number>()
    for (const [i, src] of sources.entries()) {
      const m = mutate(src.op, src.body, random)
      current = m
      tally(kinds, m.kind.startsWith('nesting') ? 'nesting' : m.kind)
      const s = await settle(() => invoke(client, m.op, INPUTS[m.op]), 20_000)
      if (s.ms > maxMs) {
        maxMs = s.ms
        maxKind = m.kind
      }
      if (s._tag === 'Threw') throws++
      if (s._tag === 'Hung') hung++
      if (s._tag !== 'Value') continue
      const r = s.value
      sink.either(r)
      if (!isTypedEither(r)) untyped.push(`#${i} ${m.kind}: ${outcomeOf(r)}`)
      tally(outcomes, r._tag === 'Right' ? 'Right' : r.left._tag)
      if (r._tag === 'Right' && (m.status < 200 || m.status >= 300)) rightOnError.push(`#${i} ${m.kind} HTTP ${m.status}`)
      if (r._tag === 'Right' && m.cutShort) rightWhenCut.push(`#${i} ${m.op} cut at ${String(m.body.length)}: …${String(m.body).slice(-60)}`)
      // No external entity is fetched or read (a DecodeError may keep the declaration itself, in its body), and no
      // internal one is expanded into a result.
      const text = JSON.stringify(r)
      if (/root:[^:]*:0:0|\/usr\/sbin\/nologin/.test(text) || (r._tag === 'Right' && text.includes('expanded'))) {
        resolved.push(`#${i} ${m.kind}: ${text.slice(0, 200)}`)
      }
    }
    await client.close()
    const ms = performance.now() - started
    recordCase(ctx, {
      area: 'bad input',
      name: `${N_BODIES} mutated response bodies (${kinds.size} kinds of mutation, MockAgent)`,
      expected: '0 throws/hangs; typed; non-2xx ≠ Right; cut ≠ Right; no entity resolved',
      actual: `${top(outcomes)}; ${throws} throws, ${hung} hangs, ${untyped.length} untyped, ${rightOnError.length} Right on non-2xx, ${rightWhenCut.length} Right when cut, ${resolved.length} resolved`,
      attempts: `slowest ${Math.round(maxMs)} ms (${maxKind})`,
      ms,
    })
    expect(throws).toBe(0)
    expect(hung).toBe(0)
    expect(untyped.slice(0, 5)).toEqual([])
    expect(rightOnError.slice(0, 5)).toEqual([])
    expect(resolved.slice(0, 5)).toEqual([])
    expect(rightWhenCut.slice(0, 5)).toEqual([])
  }, 120_000)
})

watch.sweep()

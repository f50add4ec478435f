/**
 * The table of scalar kinds (`ScalarKind.ts`) on its own: it covers every kind and every codec takes its row; each
 * kind's documented wire forms, taken from the specifications (not from our own output); and, for every kind and
 * every form, that what is written reads back as the same value.
 *
 * The documented forms quoted below are Smithy's (smithy.io, Smithy 2.0 specification): the `timestampFormat` trait
 * ("date-time … for example, 1985-04-12T23:20:50.52Z"; "http-date … IMF-fixdate … for example, Tue, 29 Apr 2014
 * 18:30:38 GMT … implementations MUST also support optional fractional seconds (for example, Sun, 02 Jan 2000
 * 20:34:56.000 GMT)"; "epoch-seconds … for example, 1515531081.1234"), the HTTP bindings (`httpHeader`: timestamps
 * are `http-date` by default, booleans `true` or `false`; `httpQuery` and `httpLabel`: timestamps are `date-time` by
 * default), XML simple-type serialization (a blob `value` is `dmFsdWU=`; the timestamp 1578255206 is
 * `2020-01-05T20:13:26Z`), the awsQuery/ec2Query form serialization (blobs base64, booleans "true" or "false",
 * timestamps `date-time` by default, an empty string as an empty value) and non-numeric floats (`NaN`, `Infinity`,
 * `-Infinity`); and RFC 7231 §7.1.1.1's IMF-fixdate example, `Sun, 06 Nov 1994 08:49:37 GMT`.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  INVALID,
  scalarKinds,
  timestampFormatAt,
  writeScalar,
  type ScalarKind,
  type ScalarRules,
  type WireForm,
} from '../../../src/internal/schema/ScalarKind.js'
import * as S from '../../../src/internal/schema/Schema.js'

const KINDS: ReadonlyArray<ScalarKind> = ['string', 'boolean', 'integer', 'long', 'float', 'double', 'timestamp', 'blob', 'character']

type Scalar = S.ScalarType<unknown, unknown>
const scalar = (codec: unknown): Scalar => codec as Scalar

// One codec per kind, as the shapes declare them (a timestamp without a model format: where it travels decides).
const CODECS: Readonly<Record<ScalarKind, Scalar>> = {
  string: scalar(S.string),
  boolean: scalar(S.boolean),
  integer: scalar(S.integer),
  long: scalar(S.long),
  float: scalar(S.float),
  double: scalar(S.double),
  timestamp: scalar(S.timestamp()),
  blob: scalar(S.blob),
  character: scalar(S.character),
}

const READERS = {
  query: (rules: ScalarRules, text: string) => rules.fromQuery(text),
  xml: (rules: ScalarRules, text: string) => rules.fromXml(text),
  header: (rules: ScalarRules, text: string) => rules.fromHeader(text),
} as const
type ReadForm = keyof typeof READERS

const read = (codec: Scalar, form: ReadForm, text: string): unknown => READERS[form](codec.rules, text)
const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'))

// -------------------------------------------------------------------------------------------------
// the table
// -------------------------------------------------------------------------------------------------

describe('the table', () => {
  it('has one row per scalar kind, and nothing else', () => {
    expect(Object.keys(scalarKinds).sort()).toEqual([...KINDS].sort())
  })

  it("gives every codec its kind's row, and the plain codecs their check and encoding from it", () => {
    for (const kind of KINDS) {
      const codec = CODECS[kind]
      expect(codec.kind).toBe(kind)
      expect(codec.rules).toBe(scalarKinds[kind])
      expect(codec.validate).toBe(scalarKinds[kind].validate)
      expect(codec.encode).toBe(scalarKinds[kind].encode)
    }
    // The narrower strings and the streaming body keep their own checks, and write and read as their kind.
    expect(scalar(S.sensitiveString).rules).toBe(scalarKinds.string)
    expect(scalar(S.enumeration('Format', ['VMDK', 'RAW'])).rules).toBe(scalarKinds.string)
    expect(scalar(S.openEnumeration('State', ['active'])).rules).toBe(scalarKinds.string)
    expect(scalar(S.constrainedString('Id', (s) => s.length < 4, 'at most 3 characters')).rules).toBe(scalarKinds.string)
    expect(scalar(S.streamingBlob).rules).toBe(scalarKinds.blob)
    expect(scalar(S.timestamp('unixTimestamp')).rules).toBe(scalarKinds.timestamp)
  })
})

// -------------------------------------------------------------------------------------------------
// documented forms
// -------------------------------------------------------------------------------------------------

const ALL_FORMS: ReadonlyArray<WireForm> = ['query', 'uri', 'xml', 'header']
const TEXT_FORMS: ReadonlyArray<WireForm> = ['query', 'uri', 'xml']

describe('the documented wire forms', () => {
  it('a timestamp whose model names no format is a date-time (RFC 3339, UTC, Z) in a query string, a URI label and XML', () => {
    const d = new Date(1578255206 * 1000)
    for (const form of TEXT_FORMS) expect(writeScalar(CODECS.timestamp, d, form)).toBe('2020-01-05T20:13:26Z')
    // With fractional seconds it is still the date-time production: digits after the point, then Z.
    const fractional = new Date('1985-04-12T23:20:50.52Z')
    for (const form of TEXT_FORMS) {
      const text = writeScalar(CODECS.timestamp, fractional, form)
      expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/)
      expect(read(CODECS.timestamp, 'xml', text)).toEqual(fractional)
    }
  })

  it('a timestamp whose model names no format is an http-date (IMF-fixdate) in a header', () => {
    expect(writeScalar(CODECS.timestamp, new Date(Date.UTC(2014, 3, 29, 18, 30, 38)), 'header')).toBe('Tue, 29 Apr 2014 18:30:38 GMT')
    expect(writeScalar(CODECS.timestamp, new Date(Date.UTC(1994, 10, 6, 8, 49, 37)), 'header')).toBe('Sun, 06 Nov 1994 08:49:37 GMT')
    expect(timestampFormatAt(CODECS.timestamp, 'header')).toBe('rfc822')
    for (const form of TEXT_FORMS) expect(timestampFormatAt(CODECS.timestamp, form)).toBe('iso8601')
  })

  it("a format the model names wins wherever the timestamp travels", () => {
    const d = new Date(1515531081 * 1000)
    for (const form of ALL_FORMS) {
      expect(writeScalar(scalar(S.timestamp('unixTimestamp')), d, form)).toBe('1515531081')
      expect(writeScalar(scalar(S.timestamp('iso8601')), d, form)).toBe('2018-01-09T20:51:21Z')
      expect(writeScalar(scalar(S.timestamp('rfc822')), d, form)).toBe('Tue, 09 Jan 2018 20:51:21 GMT')
    }
  })

  it('reads the three timestamp formats, whatever the model says, in XML and in a header', () => {
    for (const form of ['xml', 'header'] as const) {
      expect(read(CODECS.timestamp, form, '1985-04-12T23:20:50.52Z')).toEqual(new Date(Date.UTC(1985, 3, 12, 23, 20, 50, 520)))
      expect(read(CODECS.timestamp, form, 'Tue, 29 Apr 2014 18:30:38 GMT')).toEqual(new Date(Date.UTC(2014, 3, 29, 18, 30, 38)))
      expect(read(CODECS.timestamp, form, 'Sun, 02 Jan 2000 20:34:56.000 GMT')).toEqual(new Date(Date.UTC(2000, 0, 2, 20, 34, 56)))
      expect(read(CODECS.timestamp, form, '1515531081.1234')).toEqual(new Date(1515531081123))
      expect(read(CODECS.timestamp, form, 'yesterday')).toBe(INVALID)
    }
    // A request's query string (the emulator's side): date-time or epoch seconds, as EC2 takes them.
    expect(read(CODECS.timestamp, 'query', '1985-04-12T23:20:50.52Z')).toEqual(new Date(Date.UTC(1985, 3, 12, 23, 20, 50, 520)))
    expect(read(CODECS.timestamp, 'query', '1515531081.1234')).toEqual(new Date(1515531081123))
  })

  it('epoch seconds name the millisecond they say, rounded as the AWS SDKs round them', () => {
    // 1.005 * 1000 is 1004.9999999999999 in binary floating point.
    expect(read(CODECS.timestamp, 'xml', '1.005')).toEqual(new Date(1005))
    expect(read(CODECS.timestamp, 'header', '139815522444.184')).toEqual(new Date(139815522444184))
    expect(read(CODECS.timestamp, 'query', '1.005')).toEqual(new Date(1005))
  })

  it('a boolean is true or false everywhere', () => {
    for (const form of ALL_FORMS) {
      expect(writeScalar(CODECS.boolean, true, form)).toBe('true')
      expect(writeScalar(CODECS.boolean, false, form)).toBe('false')
    }
    for (const form of ['xml', 'header', 'query'] as const) {
      expect(read(CODECS.boolean, form, 'true')).toBe(true)
      expect(read(CODECS.boolean, form, 'false')).toBe(false)
      expect(read(CODECS.boolean, form, 'yes')).toBe(INVALID)
    }
  })

  it('a blob is base64 everywhere', () => {
    for (const form of ALL_FORMS) expect(writeScalar(CODECS.blob, bytes('value'), form)).toBe('dmFsdWU=')
    for (const form of ['xml', 'header', 'query'] as const) expect(read(CODECS.blob, form, 'dmFsdWU=')).toEqual(bytes('value'))
  })

  it('a number is its text; a float or double spells NaN, Infinity and -Infinity', () => {
    for (const form of ALL_FORMS) {
      expect(writeScalar(CODECS.integer, 42, form)).toBe('42')
      expect(writeScalar(CODECS.long, -7, form)).toBe('-7')
      expect(writeScalar(CODECS.double, 1.5, form)).toBe('1.5')
      expect(writeScalar(CODECS.double, NaN, form)).toBe('NaN')
      expect(writeScalar(CODECS.float, Infinity, form)).toBe('Infinity')
      expect(writeScalar(CODECS.float, -Infinity, form)).toBe('-Infinity')
    }
    for (const form of ['xml', 'header', 'query'] as const) {
      expect(read(CODECS.double, form, 'NaN')).toBeNaN()
      expect(read(CODECS.double, form, 'Infinity')).toBe(Infinity)
      expect(read(CODECS.double, form, '-Infinity')).toBe(-Infinity)
      expect(read(CODECS.integer, form, '42')).toBe(42)
      expect(read(CODECS.integer, form, '4.2')).toBe(INVALID)
    }
  })

  it('a string is its own text (an empty string an empty value)', () => {
    for (const form of ALL_FORMS) {
      expect(writeScalar(CODECS.string, 'a b&c', form)).toBe('a b&c')
      expect(writeScalar(CODECS.string, '', form)).toBe('')
    }
  })
})

// -------------------------------------------------------------------------------------------------
// where the forms differ
// -------------------------------------------------------------------------------------------------

describe('where the forms differ, side by side in one row', () => {
  it('a header loses the whitespace around its value; XML text and a query value keep it', () => {
    expect(read(CODECS.string, 'header', '  a b  ')).toBe('a b')
    expect(read(CODECS.string, 'xml', '  a b  ')).toBe('  a b  ')
    expect(read(CODECS.string, 'query', '  a b  ')).toBe('  a b  ')
  })

  it('EC2 reads a query boolean in any case; a response must say true or false', () => {
    expect(read(CODECS.boolean, 'query', 'TRUE')).toBe(true)
    expect(read(CODECS.boolean, 'xml', 'TRUE')).toBe(INVALID)
  })

  it('a failed read says what was expected, in the words of its side', () => {
    expect(scalarKinds.integer.textExpected).toBe('expected an integer')
    expect(scalarKinds.integer.queryExpected).toBe('Expected an integer.')
  })

  it('only the three spellings are non-finite numbers (not every name an object has, like toString)', () => {
    for (const name of ['toString', 'constructor', '__proto__']) {
      expect(scalarKinds.double.validate(name, [])._tag).toBe('Left')
      expect(read(CODECS.double, 'header', name)).toBe(INVALID)
      expect(read(CODECS.double, 'xml', name)).toBe(INVALID)
    }
  })
})

// -------------------------------------------------------------------------------------------------
// round trips
// -------------------------------------------------------------------------------------------------

const text = fc.string({ unit: 'binary' })
const DATES = { min: new Date('0000-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }

// Each kind's values. Left out, each for its reason: `-0` (written `0`, as every AWS SDK writes it).
const VALUES: Readonly<Record<ScalarKind, fc.Arbitrary<unknown>>> = {
  string: text,
  character: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  boolean: fc.boolean(),
  integer: fc.integer(),
  long: fc.maxSafeInteger(),
  float: fc.float().filter((n) => !Object.is(n, -0)),
  double: fc.double().filter((n) => !Object.is(n, -0)),
  timestamp: fc.date(DATES),
  blob: fc.uint8Array(),
}

// What a form cannot carry, so the round trip is checked on the rest: a header value has no whitespace at its ends
// (HTTP trims it), and an http-date has whole seconds; its year must be 100 or later, because `Date` reads a
// four-digit year below 100 in an http-date as 19xx or 20xx (a known limit of the reader).
const wholeSeconds = (d: Date): Date => new Date(d.getTime() - d.getUTCMilliseconds())
const HTTP_DATES = fc.date({ ...DATES, min: new Date('0100-01-01T00:00:00.000Z') }).map(wholeSeconds)
const valuesFor = (kind: ScalarKind, form: ReadForm): fc.Arbitrary<unknown> => {
  if (form !== 'header') return VALUES[kind]
  if (kind === 'string' || kind === 'character') return VALUES[kind].filter((v) => (v as string).trim() === v)
  if (kind === 'timestamp') return HTTP_DATES
  return VALUES[kind]
}

const same = (a: unknown, b: unknown): boolean => {
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime()
  if (a instanceof Uint8Array) return b instanceof Uint8Array && Buffer.from(a).equals(Buffer.from(b))
  return Object.is(a, b)
}

describe('what is written reads back as the same value', () => {
  for (const kind of KINDS) {
    for (const form of ['query', 'xml', 'header'] as const) {
      it(`${kind}, ${form}`, () => {
        const codec = CODECS[kind]
        fc.assert(
          fc.property(valuesFor(kind, form), (v) => {
            const back = read(codec, form, writeScalar(codec, v, form))
            expect(same(v, back), `${String(v)} came back as ${String(back)}`).toBe(true)
          }),
        )
      })
    }

    it(`${kind}, encoded (JSON-safe) and validated again`, () => {
      const rules = scalarKinds[kind] as ScalarRules
      fc.assert(
        fc.property(VALUES[kind], (v) => {
          expect(rules.is(v)).toBe(true)
          const r = rules.validate(JSON.parse(JSON.stringify(rules.encode(v))), [])
          expect(r._tag === 'Right' && same(v, r.right)).toBe(true)
        }),
      )
    })
  }

  it('a timestamp in each format the model can name, in XML and in a header', () => {
    for (const format of ['iso8601', 'unixTimestamp', 'rfc822'] as const) {
      const codec = scalar(S.timestamp(format))
      const dates = format === 'rfc822' ? HTTP_DATES : fc.date(DATES)
      fc.assert(
        fc.property(dates, (d) => {
          for (const form of ['xml', 'header'] as const) expect(read(codec, form, writeScalar(codec, d, form))).toEqual(d)
        }),
      )
    }
  })
})

/**
 * Property tests of the protocol engine on its own:
 *
 * - The independent XML 1.0 well-formedness checker (`helpers/well-formed.ts`) on known cases: it is the oracle the
 *   10,000 bad bodies of `reliability/bad-input.test.ts` are judged by, through the reader and through the client.
 * - Bodies that are not well-formed XML, and numbers in a form no serializer writes, are refused; nesting 100,000
 *   levels deep is a `DecodeError`, not a stack overflow.
 * - Every generated invalid request is a `Left` naming the mutated member.
 * - Generated results survive XML encoding then decoding.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeResponse, serializeRequest, validateRequest } from '../src/internal/protocol/Operation.js'
import { EC2_XMLNS, invalidRequest, mutationNames, operationOf, validRequest, writtenResult } from './helpers/arbitraries.js'
import type { OpName } from './helpers/sdk-oracle.js'
import { checkWellFormed } from './helpers/well-formed.js'

const OPS: ReadonlyArray<OpName> = ['ImportImage', 'DescribeImportImageTasks', 'CancelImportTask']

describe('the well-formedness checker itself', () => {
  it.each([
    ['<a/>', true],
    ['<?xml version="1.0" encoding="UTF-8"?>\n<a x="1" y=\'&amp;\'>t&lt;&#x1F600;&#65;<![CDATA[<&]]><!-- c --><?pi x?><b/></a>\n', true],
    ['\uFEFF<a>x</a>', true],
    ['<!DOCTYPE html SYSTEM "about:legacy-compat"><html/>', true],
    ['', false],
    ['<a>', false],
    ['<a></b>', false],
    ['<a>&foo;</a>', false],
    ['<a>&#0;</a>', false],
    ['<a>&#xD800;</a>', false],
    ['<a>&#x110000;</a>', false],
    ['<a>&#99999999999999999999;</a>', false],
    ['<a>\u0001</a>', false],
    ['<a>\ud800</a>', false],
    ['<a>]]></a>', false],
    ['<a><!-- a -- b --></a>', false],
    ['<a><?xml version="1.0"?></a>', false],
    ['<a x="1" x="2"/>', false],
    ['<a x=1/>', false],
    ['<a/><b/>', false],
    ['<a/>text', false],
    ['<a>&amp</a>', false],
    ['<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', false],
  ])('%j well-formed: %s', (body, ok) => {
    expect(checkWellFormed(body).ok).toBe(ok)
  })
})

describe('decodeResponse on a deeply nested body', () => {
  it('deep nesting (100,000 levels) is a DecodeError, not a stack overflow', () => {
    const deep = `<ImportImageResponse xmlns="${EC2_XMLNS}">${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</ImportImageResponse>`
    for (const op of OPS) {
      const r = decodeResponse(operationOf(op), { statusCode: 200, headers: {}, body: deep }, 1)
      expect(r._tag === 'Left' && r.left._tag).toBe('DecodeError')
    }
  })
})

// Each of these bodies is a result element, but not well-formed XML (XML 1.0 §2.2 Char, §4.1 WFC Legal Character
// and Entity Declared, §2.5 comments, §2.4 `]]>`). The reader's own doc says "a body that is not well-formed XML is
// refused, not guessed at"; today fast-xml-parser's validator lets them through and the reader keeps the reference
// as literal text, drops it, or keeps the illegal character.
describe('bodies that are not well-formed XML are refused', () => {
  const wrap = (inner: string) =>
    `<ImportImageResponse xmlns="${EC2_XMLNS}"><requestId>r</requestId><description>${inner}</description></ImportImageResponse>`
  it.each([
    ['an undeclared entity', '&foo;'],
    ['an HTML entity', '&nbsp;'],
    ['a reference to U+0000', '&#0;'],
    ['a reference to a control character', '&#1;'],
    ['a reference to a surrogate', '&#xD800;'],
    ['a reference to U+FFFE', '&#xFFFE;'],
    ['a reference beyond U+10FFFF', '&#x110000;'],
    ['an empty hexadecimal reference', '&#x;'],
    ['a raw control character', '\u0001'],
    ['a raw U+FFFE', '\ufffe'],
    ['a lone surrogate', '\ud800'],
    ['`]]>` in character data', 'a]]>b'],
    ['`--` in a comment', '<!-- a -- b -->'],
  ])('%s: %j', (_, inner) => {
    expect(checkWellFormed(wrap(inner)).ok).toBe(false)
    const r = decodeResponse(operationOf('ImportImage'), { statusCode: 200, headers: {}, body: wrap(inner) }, 1)
    expect(r._tag === 'Left' && r.left._tag).toBe('DecodeError')
  })

  // XML 1.0 §2.1: after the root element, only comments, processing instructions and whitespace. The validator lets
  // a `>` (or `/>`) after an empty root element through.
  it.each([
    ['a `>` after an empty root element', '<DescribeImportImageTasksResponse/>>'],
    ['a `/>` after an empty root element', '<DescribeImportImageTasksResponse/>/>'],
    ['a `>` after an end tag', `<DescribeImportImageTasksResponse xmlns="${EC2_XMLNS}"></DescribeImportImageTasksResponse> >`],
  ])('%s: %j', (_, body) => {
    expect(checkWellFormed(body).ok).toBe(false)
    const r = decodeResponse(operationOf('DescribeImportImageTasks'), { statusCode: 200, headers: {}, body }, 1)
    expect(r._tag === 'Left' && r.left._tag).toBe('DecodeError')
  })

  it.each([
    ['a comment', '<!-- done > -->'],
    ['a processing instruction', '<?done x?>'],
  ])('%s after the root element is still read', (_, after) => {
    const body = `<DescribeImportImageTasksResponse xmlns="${EC2_XMLNS}"><requestId>r</requestId></DescribeImportImageTasksResponse>\n${after}\n`
    expect(checkWellFormed(body).ok).toBe(true)
    const r = decodeResponse(operationOf('DescribeImportImageTasks'), { statusCode: 200, headers: {}, body }, 1)
    expect(r._tag).toBe('Right')
  })
})

// xsd:double (and Smithy's `NaN`/`Infinity`/`-Infinity`) has no hexadecimal, binary or octal form; the reader's
// `Number(text)` reads `0x10` as 16. The SDK does the same (`Number(data)`), so this is no disagreement, but it is
// a guess at a value the service cannot have sent.
describe('numbers in a form no XML serializer writes are refused', () => {
  it.each(['0x10', '0b11', '0o17'])('%s', (text) => {
    const body = `<ImportImageResponse><snapshotDetailSet><item><diskImageSize>${text}</diskImageSize></item></snapshotDetailSet></ImportImageResponse>`
    const r = decodeResponse(operationOf('ImportImage'), { statusCode: 200, headers: {}, body }, 1)
    expect(r._tag === 'Left' && r.left._tag).toBe('DecodeError')
  })
})

describe('requests', () => {
  it('every generated valid request validates and serializes (1,000 runs)', () => {
    fc.assert(
      fc.property(validRequest, (req) => {
        const op = operationOf(req.op)
        const v = validateRequest(op, req.input)
        if (v._tag === 'Left') throw new Error(v.left.message)
        expect(serializeRequest(op, v.right, () => 'token')).toMatch(new RegExp(`^Action=${req.op}&Version=2016-11-15`))
      }),
      { numRuns: 1000 },
    )
  })

  it('every generated invalid request is a Left naming the mutated member (3,000 runs)', () => {
    const seen = new Set<string>()
    fc.assert(
      fc.property(invalidRequest, (bad) => {
        const r = validateRequest(operationOf(bad.op), bad.input)
        if (r._tag === 'Right') throw new Error(`${bad.op} ${bad.mutation}: accepted ${JSON.stringify(bad.input)}`)
        expect(r.left._tag).toBe('ValidationError')
        expect(r.left.operation).toBe(bad.op)
        expect(r.left.errors.map((e) => e.path), `${bad.op}: ${bad.mutation}`).toContain(bad.path)
        for (const e of r.left.errors) expect(e.message.length).toBeGreaterThan(0)
        seen.add(`${bad.op}: ${bad.mutation}`)
      }),
      { numRuns: 3000 },
    )
    expect([...mutationNames].filter((n) => !seen.has(n))).toEqual([])
  })

  it('a rule the service states only in prose is refused with a message quoting it', () => {
    const base = { ClientToken: 't', DiskContainers: [{ SnapshotId: 'snap-1' }] }
    const preferred = validateRequest(operationOf('ImportImage'), { ...base, BootMode: 'uefi-preferred' })
    expect(preferred._tag === 'Left' && preferred.left.message).toContain("isn't supported for importing images")
    const platform = validateRequest(operationOf('ImportImage'), { ...base, BootMode: 'uefi' })
    expect(platform._tag === 'Left' && platform.left.message).toContain('you must specify a value for the platform')
  })
})

describe('results', () => {
  it('XML-encode then decode is the value (2,000 runs)', () => {
    fc.assert(
      fc.property(writtenResult, (r) => {
        const d = decodeResponse(operationOf(r.op), { statusCode: 200, headers: {}, body: r.written.body }, 1)
        if (d._tag === 'Left') throw new Error(`${d.left.message}\n${r.written.body}`)
        expect(d.right.value).toStrictEqual(r.value)
        expect(d.right.requestId).toBe(r.written.requestId)
        expect(checkWellFormed(r.written.body)).toMatchObject({ ok: true, root: `${r.op}Response` })
      }),
      { numRuns: 2000 },
    )
  })
})

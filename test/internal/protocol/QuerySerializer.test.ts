/**
 * The query serializer's percent-encoding against its definition: RFC 3986 (what SigV4 and the AWS SDKs write) is
 * `encodeURIComponent` with `!'()*` escaped as well.
 */
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { percentEncode } from '../../../src/internal/protocol/QuerySerializer.js'

const rfc3986 = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

describe('percentEncode', () => {
  // (Text only: a lone surrogate is refused before anything is serialized, and encodeURIComponent throws on it.)
  const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
  it('is encodeURIComponent with !\'()* escaped too, on any text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'grapheme', maxLength: 80 }),
          fc.string({ unit: fc.constantFrom('a', 'Z', '0', '-', '.', '_', '~', ' ', '!', "'", '(', ')', '*', '%', '/', '?', '&', '=', '+', ':', 'é', '🚀', 'ሴ'), maxLength: 40 }),
        ).filter((s) => !LONE_SURROGATE.test(s)),
        (s) => {
          expect(percentEncode(s)).toBe(rfc3986(s))
        },
      ),
      { numRuns: 2000 },
    )
  })

  it.each([
    ['', ''],
    ['AKIDEXAMPLE', 'AKIDEXAMPLE'],
    ['a b', 'a%20b'],
    ["it's (a) *", 'it%27s%20%28a%29%20%2A'],
    ['s3://b/k?x=1&y', 's3%3A%2F%2Fb%2Fk%3Fx%3D1%26y'],
    ['~-._', '~-._'],
    ['web é 1', 'web%20%C3%A9%201'],
  ])('%j is %j', (s, encoded) => {
    expect(percentEncode(s)).toBe(encoded)
  })
})

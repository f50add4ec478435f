import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseXml, xmlReaders } from '../../../src/internal/protocol/XmlReader.js'

const PROTOCOL = join(import.meta.dirname, '../../fixtures', 'protocol')

// Cases the random-body property found once each: kept here so every run checks them.
describe('parseXml refuses what XML 1.0 refuses, on the fast path as on the reference path', () => {
  it.each([
    ['a < in an attribute value', '<a x="1<2">t</a>'],
    ['a < in a single-quoted attribute value', "<a x='<'/>"],
    ['an undeclared entity in an attribute value', '<a x="a&foo;b">t</a>'],
    ['a comment opened inside an attribute value', '<a xmlns="http://x/2016-11-1<!--5/"><b>1</b></a>'],
    ['an undeclared entity in text', '<a>&foo;</a>'],
    ['a reference to U+0000', '<a>&#0;</a>'],
    ['"]]>" in text', '<a>x]]>y</a>'],
    ['a reference after the root', '<a>t</a>&#x10FFFF;'],
    ['a malformed declaration', '<?xml version="1.0" encod<b/>ing="UTF-8"?><a/>'],
    ['a document type declaration', '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'],
    ['CDATA before the root element', '<![CDATA[]]><a/>'],
    ['text before the root element, after a comment', '<!-- c -->x<a/>'],
  ])('%s', (_name, body) => {
    expect(parseXml(body)._tag).toBe('NotXml')
  })

  it('reads the references XML has, in text and attributes', () => {
    const r = parseXml('<a x="a&amp;b"><b>&lt;&#128512;&#x1F600;&quot;</b></a>')
    expect(r).toEqual({ _tag: 'Right', right: { a: { b: '<😀😀"' } } })
  })
})

// The scanner is only a faster way to the reference's answer: wherever it returns a tree, that tree must be the one
// fast-xml-parser (plus the one rule about indentation) builds. Checked on every AWS protocol-test response body,
// and on generated bodies built to stay inside and step just outside the scanner's subset.
describe("the scanner builds exactly the reference reader's tree", () => {
  const agree = (body: string): 'scanned' | 'left to the reference' => {
    const fast = xmlReaders.scan(body.indexOf('\r') === -1 ? body : body.replace(/\r\n?/g, '\n'))
    if (fast === undefined) return 'left to the reference'
    const ref = xmlReaders.reference(body)
    expect(ref).toEqual({ _tag: 'Right', right: fast })
    return 'scanned'
  }

  it('on every response body of the botocore and Smithy EC2 and awsQuery protocol tests', () => {
    const bodies: Array<string> = []
    for (const file of ['botocore-ec2-output.json', 'botocore-ec2-legacy-output.json', 'botocore-output-query.json']) {
      // (the awsQuery cases of operations without output have no body)
      const suites = JSON.parse(readFileSync(join(PROTOCOL, file), 'utf8')) as Array<{ cases: Array<{ response: { body?: string } }> }>
      for (const suite of suites) for (const c of suite.cases) if (c.response.body !== undefined) bodies.push(c.response.body)
    }
    const smithy = JSON.parse(readFileSync(join(PROTOCOL, 'smithy-ec2query-cases.json'), 'utf8')) as {
      responseTests: Array<{ body?: string }>
    }
    for (const c of smithy.responseTests) if (typeof c.body === 'string' && c.body !== '') bodies.push(c.body)
    const outcomes = bodies.map(agree)
    expect(bodies.length).toBeGreaterThan(90)
    // Nearly all of them are plain XML as AWS sends it, which the scanner must take itself.
    expect(outcomes.filter((o) => o === 'scanned').length).toBeGreaterThan(bodies.length * 0.9)
  })

  it('keeps whitespace-only text of a leaf and drops indentation around child elements', () => {
    expect(parseXml('<a>\n  <b>  </b>\n  <c/>\n  <d>\n  </d>\n</a>')).toEqual({ _tag: 'Right', right: { a: { b: '  ', c: '', d: '\n  ' } } })
    expect(agree('<a>\n  <b>  </b>\n  <c/>\n  <d>\n  </d>\n</a>')).toBe('scanned')
    // whitespace written as references is whitespace too (found by review: the scanner used to keep it)
    expect(parseXml('<a>&#32;<b>x</b></a>')).toEqual({ _tag: 'Right', right: { a: { b: 'x' } } })
    expect(parseXml('<a>&#10;  <b>x</b>\n</a>')).toEqual({ _tag: 'Right', right: { a: { b: 'x' } } })
    expect(parseXml('<a>&#13;</a>')).toEqual({ _tag: 'Right', right: { a: '\r' } })
    // mixed content keeps its text, whitespace included
    expect(parseXml('<a>x <b/> y</a>')).toEqual({ _tag: 'Right', right: { a: { b: '', '#text': 'x  y' } } })
  })

  it('on 3,000 generated bodies: indented or not, with references, attributes, repeats and mixed content', () => {
    const name = fc.constantFrom('item', 'key', 'value', 'tagSet', 'status', 'x:item', 'a', 'b.c', 'd-e', '_f')
    const text = fc.stringMatching(/^[ \t\nA-Za-z0-9<>&"';#x.-]{0,12}$/).map((s) =>
      s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
    )
    // (the last four spell whitespace: blank text written as references)
    const entity = fc.constantFrom('&amp;', '&lt;', '&#65;', '&#x1F600;', '&quot;', '&apos;', '&#32;', '&#9;', '&#10;', '&#13;')
    const attribute = fc.constantFrom('', ' xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"', " id='1'", ' a="1" b="2"')
    type Tree = { name: string; attr: string; kids: Array<Tree | string> }
    const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
      node: fc.record({
        name,
        attr: attribute,
        kids: fc.array(
          fc.oneof(
            { maxDepth: 5, depthIdentifier: 'xml' },
            { weight: 2, arbitrary: text },
            { weight: 1, arbitrary: entity },
            { weight: 3, arbitrary: tie('node') },
          ),
          { maxLength: 4, depthIdentifier: 'xml' },
        ),
      }),
    })).node
    const write = (n: Tree, indent: string | undefined, level: number): string => {
      const pad = indent === undefined ? '' : '\n' + indent.repeat(level + 1)
      const end = indent === undefined ? '' : '\n' + indent.repeat(level)
      if (n.kids.length === 0) return `<${n.name}${n.attr}/>`
      const inner = n.kids.map((k) => (typeof k === 'string' ? k : pad + write(k, indent, level + 1))).join('')
      return `<${n.name}${n.attr}>${inner}${n.kids.some((k) => typeof k !== 'string') ? end : ''}</${n.name}>`
    }
    let scanned = 0
    fc.assert(
      fc.property(tree, fc.constantFrom(undefined, '    ', '\t', '  '), fc.boolean(), (t, indent, declaration) => {
        const body = (declaration ? '<?xml version="1.0" encoding="UTF-8"?>\n' : '') + write(t, indent, 0) + (indent === undefined ? '' : '\n')
        if (agree(body) === 'scanned') scanned++
      }),
      { numRuns: 3_000 },
    )
    // The generator stays mostly inside the scanner's subset, so the comparison is not vacuous.
    expect(scanned).toBeGreaterThan(1_500)
  })
})

import { describe, expect, it } from 'vitest'
import { parseXml } from '../src/XmlReader.js'

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
  ])('%s', (_name, body) => {
    expect(parseXml(body)._tag).toBe('NotXml')
  })

  it('reads the references XML has, in text and attributes', () => {
    const r = parseXml('<a x="a&amp;b"><b>&lt;&#128512;&#x1F600;&quot;</b></a>')
    expect(r).toEqual({ _tag: 'Right', right: { a: { b: '<😀😀"' } } })
  })
})

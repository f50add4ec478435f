/**
 * The EC2 XML writer: a result value to the response body EC2 sends, and EC2's error envelope.
 *
 * The inverse of `XmlReader`, walking the same declarations (`Schema`): each member under its `xmlName`, each list
 * as a wrapper of `<item>`s (an empty list as an empty wrapper, `<tagSet/>`), each scalar in its kind's XML form
 * (`scalarKinds`: timestamps in ISO 8601, booleans as `true`/`false`). An absent member writes nothing.
 *
 * @since 0.1.0
 */
import { writeScalar } from '../internal/schema/ScalarKind.js'
import { asWire, type WireCodec } from '../internal/schema/Schema.js'

// -------------------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------------------

/**
 * The XML namespace of EC2 API version 2016-11-15, as every EC2 response declares it.
 *
 * @internal
 * @since 0.1.0
 */
export const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/'

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

/**
 * Escape text for an XML element. Characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates) become
 * U+FFFD: a body the client cannot parse would be worse than a replaced character.
 *
 * @internal
 * @since 0.1.0
 */
export const escapeXml = (s: string): string =>
  s
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#xD;')

// The wire text of a scalar is its kind's (`scalarKinds`); XML only escapes it.
const scalarText = (codec: WireCodec & { readonly _tag: 'ScalarType' }, v: unknown): string => escapeXml(writeScalar(codec, v, 'xml'))

const element = (name: string, inner: string): string => (inner === '' ? `<${name}/>` : `<${name}>${inner}</${name}>`)

// The content of an element holding `value` as `codec` declares it (without the element itself).
const content = (codec: WireCodec, value: unknown): string => {
  switch (codec._tag) {
    case 'ScalarType':
      return scalarText(codec, value)
    case 'ListType': {
      const item = asWire(codec.item)
      return (value as ReadonlyArray<unknown>).map((v) => element(codec.itemName, content(item, v))).join('')
    }
    case 'MapType': {
      const valueCodec = asWire(codec.value)
      return Object.entries(value as Record<string, unknown>)
        .map(
          ([k, v]) =>
            `<entry>${element(codec.keyName, escapeXml(k))}${element(codec.valueName, content(valueCodec, v))}</entry>`,
        )
        .join('')
    }
    case 'StructType': {
      const record = value as Record<string, unknown>
      let out = ''
      for (const m of codec.members) {
        const v = record[m.name]
        if (v === undefined) continue
        const c = asWire(m.codec)
        if (m.flattened && c._tag === 'ListType') {
          // A flattened list repeats its element with no wrapper.
          const item = asWire(c.item)
          for (const x of v as ReadonlyArray<unknown>) out += element(m.xmlName, content(item, x))
        } else {
          out += element(m.xmlName, content(c, v))
        }
      }
      return out
    }
  }
}

// -------------------------------------------------------------------------------------------------
// writer
// -------------------------------------------------------------------------------------------------

/**
 * The body of a successful response: `<{Action}Response xmlns=…><requestId>…</requestId>…members…</…>`.
 *
 * @internal
 * @since 0.1.0
 */
export const writeResult = (action: string, codec: WireCodec, value: unknown, requestId: string): string => {
  const root = `${action}Response`
  return `${XML_DECLARATION}<${root} xmlns="${EC2_XMLNS}"><requestId>${escapeXml(requestId)}</requestId>${content(codec, value)}</${root}>`
}

/**
 * EC2's error envelope: `<Response><Errors><Error><Code>…</Code><Message>…</Message></Error></Errors><RequestID>…`
 * (`RequestID` with a capital `ID`, unlike the success body's `requestId`).
 *
 * @internal
 * @since 0.1.0
 */
export const writeError = (code: string, message: string, requestId: string): string =>
  `${XML_DECLARATION}<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${escapeXml(requestId)}</RequestID></Response>`

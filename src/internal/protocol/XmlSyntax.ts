/**
 * What both of the reader's parsers (the scanner and fast-xml-parser) share: the element tree they build, what
 * counts as whitespace and as an XML character, the declaration, and `detach`.
 *
 * @since 0.2.0
 */

/**
 * A parsed XML element: its text, or its children by name (repeated children as an array).
 *
 * @internal
 */
export type XmlNode = string | { readonly [name: string]: XmlNode | ReadonlyArray<XmlNode> }

// The scanner's text values are slices of the body, and V8 makes a slice of 13 characters or more a view into its
// parent string: one such value kept by the caller (a task id) would keep the whole body (megabytes, for a page of
// tasks) alive. Every string that leaves the reader is detached first: a flat copy of its own characters.
// (`padStart` writes a new flat string, and the slice of it keeps only that; half the cost of `(' ' + s).slice(1)`.)
/**
 * A flat copy of a string read from a body, so that keeping it does not keep the whole body alive (see above).
 *
 * @internal
 * @since 0.2.0
 */
export const detach = (s: string): string => (s.length < 13 ? s : s.padStart(s.length + 1).slice(1))

/** @internal */
export const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 9 || c === 13

/** @internal */
export const isBlank = (s: string): boolean => {
  for (let k = 0; k < s.length; k++) if (!isSpace(s.charCodeAt(k))) return false
  return true
}

// `<?xml version="1.0" encoding="…" standalone="…"?>`, as the reference reads it (attributes ignored).
/** @internal */
export const DECLARATION = /^<\?xml\s+version\s*=\s*(["'])1\.0\1(\s+encoding\s*=\s*(["'])[A-Za-z][A-Za-z0-9._-]*\3)?(\s+standalone\s*=\s*(["'])(yes|no)\5)?\s*\?>/

/** @internal */
export const isXmlChar = (cp: number): boolean =>
  cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff)

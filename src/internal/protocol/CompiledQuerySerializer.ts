/**
 * The EC2 Query serializer compiled per request shape, with validation folded in. A speed trick that earns its place:
 * `npm run bench` measures the client with and without it in the same run (bench/README.md, "Speed tricks").
 *
 * The plain path walks a request twice through generic code: validation (`Schema`) builds a checked copy, then
 * `QuerySerializer` writes the copy. Each walk reads members by a name that changes at every step, so every read
 * and every call is megamorphic. This module generates, once per request shape, one JavaScript function per
 * structure that reads each member by its own name, checks it with its own codec's `is`, and writes it; the
 * structure's strictness and rules are checked as validation checks them. The result is the same body the plain
 * path writes, in one walk and without the copy.
 *
 * It only ever says yes to what validation says yes to, and it declines (returns `undefined`) everything else, which
 * the pipeline then validates and serializes the plain way (and whose errors it reports):
 *   - any value its codec's `is` refuses: a missing required member, a member the shape does not declare, a broken
 *     rule, and also a value validation would accept by converting it (an ISO 8601 string for a `Date`);
 *   - a shape with a map anywhere in it, and any shape at all where the runtime forbids generating code (a
 *     content security policy without `unsafe-eval`).
 * test/internal/protocol/CompiledQuerySerializer.test.ts checks both directions against the plain path on every EC2
 * operation's requests, random ones included.
 *
 * The generated code holds the shape's member and wire names (as JSON string literals) and nothing from a request.
 *
 * @since 0.2.0
 */
import { writeScalar } from '../schema/ScalarKind.js'
import { asWire, type WireCodec } from '../schema/Schema.js'
import { percentEncode } from './QuerySerializer.js'

/** A compiled serializer: the form body's members (`&Name=value…`), or `undefined` for a value it declines. */
type Compiled = (value: unknown, idempotencyToken: () => string) => string | undefined

// One compiled serializer per request codec, made on its first request; `null` where none can be made.
const compiled = new WeakMap<WireCodec, Compiled | null>()

class NotCompiled extends Error {}

const lit = (s: string): string => JSON.stringify(s)

const compile = (root: WireCodec): Compiled => {
  if (root._tag !== 'StructType') throw new NotCompiled()
  // What the generated code calls (codecs' `is`, scalar writers, rules), by index.
  const deps: Array<unknown> = []
  const dep = (f: unknown): string => {
    let i = deps.indexOf(f)
    if (i === -1) i = deps.push(f) - 1
    return `D[${i}]`
  }
  const encode = dep(percentEncode)
  const functions: Array<string> = []
  const structs = new Map<WireCodec, string>()

  // Statements that check `x` and write it under the key the expression `key` makes (`pre + "Name"`).
  const member = (codec: WireCodec, x: string, key: string, depth: number): string => {
    switch (codec._tag) {
      case 'ScalarType': {
        // (a string is written as it is, whatever its codec; anything else through its kind's writer)
        const text = codec.kind === 'string' ? x : `${dep((v: unknown) => writeScalar(codec, v, 'query'))}(${x})`
        return `if (!${dep(codec.is)}(${x})) return F\nout += ${key} + '=' + ${encode}(${text})\n`
      }
      case 'StructType':
        return `{ const r = ${struct(codec)}(${x}, ${key} + '.', tok); if (r === F) return F; out += r }\n`
      case 'ListType': {
        // Every EC2 list is flattened: `Name.1`, `Name.2`, …; an empty one writes nothing.
        const i = `i${depth}`
        const y = `y${depth}`
        const item = member(asWire(codec.item), y, `${key} + '.' + (${i} + 1)`, depth + 1)
        return `if (!Array.isArray(${x})) return F\nfor (let ${i} = 0; ${i} < ${x}.length; ${i}++) {\nconst ${y} = ${x}[${i}]\n${item}}\n`
      }
      case 'MapType':
        throw new NotCompiled()
    }
  }

  // The function that writes a structure (its name), generated on first use.
  const struct = (codec: WireCodec & { readonly _tag: 'StructType' }): string => {
    const known = structs.get(codec)
    if (known !== undefined) return known
    const name = `s${structs.size}`
    structs.set(codec, name)
    let body = `function ${name}(v, pre, tok) {\nif (typeof v !== 'object' || v === null || Array.isArray(v)) return F\nlet out = ''\n`
    codec.members.forEach((m, k) => {
      const x = `x${k}`
      body += `let ${x} = v[${lit(m.name)}]\n`
      if (m.idempotencyToken) body += `if (${x} === undefined) ${x} = tok()\n`
      body += `if (${x} !== undefined) {\n${member(asWire(m.codec), x, `pre + ${lit(percentEncode(m.queryName))}`, 0)}}\n`
      if (m.required) body += 'else return F\n'
    })
    if (codec.strict) {
      // an own member with a value that the shape does not declare
      const cases = codec.members.map((m) => `case ${lit(m.name)}:`).join(' ')
      body += `for (const k in v) {\nswitch (k) { ${cases} continue }\nif (v[k] !== undefined && H.call(v, k)) return F\n}\n`
    }
    if (codec.rules !== undefined) body += `if (${dep(codec.rules)}(v).length !== 0) return F\n`
    functions.push(`${body}return out\n}\n`)
    return name
  }

  const top = struct(root)
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the point of this module; see above
  const make = new Function('D', 'F', 'H', `'use strict'\n${functions.join('')}return (v, tok) => ${top}(v, '&', tok)\n`)
  return make(deps, undefined, Object.prototype.hasOwnProperty) as Compiled
}

/**
 * The members of an EC2 Query form body for `value` (`&Name=value…`, after `Action` and `Version`), written as
 * `serializeQuery` writes them, when `value` already is a valid request as validation would return it; otherwise
 * `undefined`. An idempotency token the request lacks is made with `idempotencyToken`, as `serializeQuery` makes it.
 *
 * @internal
 */
export const serializeValidQuery = (codec: WireCodec, value: unknown, idempotencyToken: () => string): string | undefined => {
  let f = compiled.get(codec)
  if (f === undefined) {
    try {
      f = compile(codec)
    } catch {
      // A shape this module does not cover, or a runtime that forbids generating code (an `EvalError`): the plain
      // path, for every request of this shape.
      f = null
    }
    compiled.set(codec, f)
  }
  return f === null ? undefined : f(value, idempotencyToken)
}
